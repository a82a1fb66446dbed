import type { z } from 'zod';
import { formatPropertyPath } from './violations.js';

// Unknown fields are accepted, ignored and reported back (design habit 16): newer clients send fields this server
// does not model, and a 400 for them would break those clients, while silence would hide that they had no effect.

type Issue = z.core.$ZodIssue;

export interface UnknownFields {
  /** Property paths of the unknown fields (`tasks[0].onTaskCancel`), in the order found. */
  paths: string[];
  /** The issues that are not about unknown fields. */
  rest: Issue[];
}

/** Splits zod's issues into unknown-field paths (as property paths) and every other issue. */
export function splitUnknownFields(issues: readonly Issue[]): UnknownFields & { at: PropertyKey[][] } {
  const paths: string[] = [];
  const at: PropertyKey[][] = [];
  const rest: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      rest.push(issue);
      continue;
    }
    for (const key of issue.keys) {
      at.push([...issue.path, key]);
      paths.push(formatPropertyPath([...issue.path, key]));
    }
  }
  return { paths, at, rest };
}

/** Deletes the field at each path of `at` from `value` (a fresh copy made by the normaliser, so it is ours). */
export function dropFields(value: unknown, at: readonly PropertyKey[][]): void {
  for (const path of at) {
    let node: unknown = value;
    for (const segment of path.slice(0, -1)) {
      node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[segment] : undefined;
    }
    if (node !== null && typeof node === 'object') delete (node as Record<PropertyKey, unknown>)[path.at(-1)!];
  }
}
