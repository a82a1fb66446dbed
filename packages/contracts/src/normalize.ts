import { hasLoneSurrogate } from './formats.js';
import { LIMITS, MAX_ARRAY_INSPECTED } from './limits.js';
import { formatPropertyPath, type Violation } from './violations.js';

// Prepares an untrusted body for validation, in one bounded walk:
// - `null` counts as absent: Signicat's .NET SDK serialises every unset property as null.
// - an empty optional list counts as absent ("none"): generated clients send `notifications: []`, `schedule: []`.
// - `0` in `daysToLive` and `daysUntilDeletion` counts as absent: the .NET SDK types them as `long` and sends 0 when
//   the caller set nothing, so 0 takes the default.
// - `language` is matched without regard to case (`EN` is `en`).
// - response-only fields (`id`, `artifact`, `tasks[].signingUrl`, `tasks[].status`) are dropped, so an order read
//   back from the API can be sent again.
// - nesting deeper than any valid order is reported instead of walked, and arrays are cut to one more item than
//   any maximum allows, so a hostile body costs bounded time and the maximum still reports.
// - a string or key with an unpaired surrogate (not Unicode text) is reported where it is.
// The result is a fresh copy built with Object.fromEntries, so a `__proto__` key stays an ordinary (unknown) field.

const RESPONSE_ONLY_ORDER_FIELDS = new Set(['id', 'artifact']);
const RESPONSE_ONLY_TASK_FIELDS = new Set(['signingUrl', 'status']);
/** Optional lists whose emptiness means "none". Required lists (`tasks`, `documents`, …) still report "at least 1". */
const EMPTY_MEANS_NONE = new Set([
  'notifications',
  'packagingTasks',
  'schedule',
  'notificationTemplateParams',
  'dependsOnTasks',
  'attributes',
  'inputParams',
  'methods',
]);
const ZERO_MEANS_DEFAULT = new Set(['daysToLive', 'daysUntilDeletion']);

/** Whether a field's value counts as not sent at all. */
function absent(key: string, value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value) && value.length === 0) return EMPTY_MEANS_NONE.has(key);
  return value === 0 && ZERO_MEANS_DEFAULT.has(key);
}

export interface Normalized {
  value: unknown;
  violations: Violation[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NOT_UNICODE = 'must be Unicode text (it has an unpaired surrogate, such as \\ud800)';

function walk(value: unknown, path: (string | number)[], violations: Violation[]): unknown {
  if (typeof value === 'string' && hasLoneSurrogate(value)) {
    violations.push({ propertyPath: formatPropertyPath(path), message: NOT_UNICODE });
  }
  if (typeof value !== 'object' || value === null) return value;
  if (path.length >= LIMITS.maxDepth) {
    violations.push({
      propertyPath: formatPropertyPath(path),
      message: `is nested too deeply (more than ${LIMITS.maxDepth} levels)`,
    });
    return value;
  }
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ARRAY_INSPECTED).map((item: unknown, i) => walk(item, [...path, i], violations));
  }
  const entries = Object.entries(value).filter(([k, v]) => !absent(k, v));
  for (const [k] of entries) {
    if (hasLoneSurrogate(k)) violations.push({ propertyPath: formatPropertyPath([...path, k]), message: NOT_UNICODE });
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, walk(v, [...path, k], violations)]));
}

function without(record: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !fields.has(k)));
}

export function normalizeOrderBody(body: unknown): Normalized {
  const violations: Violation[] = [];
  const value = walk(body, [], violations);
  if (!isRecord(value)) return { value, violations };
  const order = without(value, RESPONSE_ONLY_ORDER_FIELDS);
  if (Array.isArray(order.tasks)) {
    order.tasks = order.tasks.map((task: unknown) => {
      if (!isRecord(task)) return task;
      const kept = without(task, RESPONSE_ONLY_TASK_FIELDS);
      if (typeof kept.language === 'string') kept.language = kept.language.toLowerCase();
      return kept;
    });
  }
  return { value: order, violations };
}
