import type { z } from 'zod';
import type { Path } from './loose.js';
import { contractErrorMap } from './messages.js';
import { normalizeOrderBody } from './normalize.js';
import { SigningOrder } from './order.js';
import { checkDependencies } from './rules-dependencies.js';
import { checkPackagingDocuments, checkTaskDocumentsAndMethods } from './rules-documents.js';
import { checkUniqueIds } from './rules-ids.js';
import { checkNotifications } from './rules-notifications.js';
import { inSignicatWording } from './signicat-wording.js';
import { dropFields, splitUnknownFields } from './unknown-fields.js';
import {
  finalizeViolations,
  formatPropertyPath,
  zodIssuesToViolations,
  type ValidationResult,
  type Violation,
} from './violations.js';

/** The validated order, and the property paths of the unknown fields that were ignored (to report back). */
export type OrderValidation =
  { ok: true; value: SigningOrder; ignored: string[] } | { ok: false; violations: Violation[] };

const CROSS_FIELD_RULES = [
  checkUniqueIds,
  checkDependencies,
  checkPackagingDocuments,
  checkTaskDocumentsAndMethods,
  checkNotifications,
];

/** Rules that span fields, run on the normalised body whether or not its structure is valid. */
export function crossFieldViolations(order: unknown): Violation[] {
  const out: Violation[] = [];
  const report = (path: Path, message: string) => out.push({ propertyPath: formatPropertyPath(path), message });
  for (const rule of CROSS_FIELD_RULES) rule(order, report);
  return out;
}

/** Parses any body with a schema, reporting issues as violations in the contract's form. */
export function parseWith<T extends z.ZodType>(schema: T, body: unknown): ValidationResult<z.output<T>> {
  const result = schema.safeParse(body, { error: contractErrorMap });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, violations: finalizeViolations(zodIssuesToViolations(result.error.issues)) };
}

/**
 * Known fields that cannot take effect in this order, reported back with the unknown ones: `authentication.artifact`
 * in a task that names no `authentication.methods` (the artifact skips that log-in, and there is none; identifying to
 * sign is never skipped). (What depends on the server's settings, such as forwarding, the creation reports:
 * `forwardingWithoutEffect`.)
 */
function withoutEffect(order: SigningOrder): string[] {
  return order.tasks.flatMap((t, i) =>
    t.authentication?.artifact && !t.authentication.methods?.length ? [`tasks[${i}].authentication.artifact`] : [],
  );
}

/**
 * Validates a create-order body (contract §4) without I/O: structure, ranges, formats and every cross-field rule.
 * Reports all violations at once (one per property path, at most LIMITS.maxViolations) and never throws for any
 * JSON value. Unknown fields are dropped and listed in `ignored`. On success the order comes back with defaults
 * applied. What needs I/O (uploads, configurations, URL targets) is listed by ioCheckPlaces for the caller to check.
 */
export function validateSigningOrder(body: unknown): OrderValidation {
  const normalized = normalizeOrderBody(body);
  if (typeof normalized.value !== 'object' || normalized.value === null || Array.isArray(normalized.value)) {
    return { ok: false, violations: [{ propertyPath: '', message: 'the body must be a JSON object' }] };
  }
  let parsed = SigningOrder.safeParse(normalized.value, { error: contractErrorMap });
  const unknown = parsed.success ? { paths: [], at: [], rest: [] } : splitUnknownFields(parsed.error.issues);
  let issues = unknown.rest;
  if (unknown.at.length > 0) {
    dropFields(normalized.value, unknown.at);
    if (issues.length === 0) {
      parsed = SigningOrder.safeParse(normalized.value, { error: contractErrorMap });
      issues = parsed.success ? [] : parsed.error.issues;
    }
  }
  const violations = finalizeViolations(
    [...normalized.violations, ...zodIssuesToViolations(issues), ...crossFieldViolations(normalized.value)].map(
      inSignicatWording,
    ),
  );
  if (parsed.success && violations.length === 0) {
    return { ok: true, value: parsed.data, ignored: [...unknown.paths, ...withoutEffect(parsed.data)] };
  }
  return { ok: false, violations };
}
