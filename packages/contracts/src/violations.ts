import type { z } from 'zod';
import { LIMITS } from './limits.js';

export interface Violation {
  propertyPath: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

export type PathSegment = PropertyKey;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['tasks', 0, 'documents', 1, 'documentRef']` → `tasks[0].documents[1].documentRef` (the contract's form). */
export function formatPropertyPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(shorten(String(segment)))}]`;
  }
  return out;
}

/** A value quoted in a message, cut so a hostile string cannot blow up the response. */
export function shorten(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Maps zod issues to violations; an unknown-field issue becomes one violation per field. */
export function zodIssuesToViolations(issues: readonly z.core.$ZodIssue[]): Violation[] {
  const out: Violation[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ propertyPath: formatPropertyPath([...issue.path, key]), message: 'is not a known field' });
      }
    } else {
      out.push({ propertyPath: formatPropertyPath(issue.path), message: issue.message });
    }
  }
  return out;
}

/** One violation per property path (the first found), at most LIMITS.maxViolations of them. */
export function finalizeViolations(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const v of violations) {
    if (seen.has(v.propertyPath)) continue;
    seen.add(v.propertyPath);
    out.push(v);
  }
  if (out.length <= LIMITS.maxViolations) return out;
  const kept = out.slice(0, LIMITS.maxViolations - 1);
  const more = out.length - kept.length;
  return [...kept, { propertyPath: '', message: `${more} further violations are not listed` }];
}
