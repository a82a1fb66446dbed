import type { Response } from 'express';

/** The response header that names the unknown fields of a request body, which were accepted and ignored. */
export const IGNORED_FIELDS_HEADER = 'X-Sign-Ignored-Fields';
/** At most this many paths are listed; a last entry `+N` says how many more there were. */
const MAX_LISTED = 100;

// A header value is ASCII: a comma, `%` or any character outside printable ASCII in a path is percent-encoded
// (UTF-8), so the list splits on commas and every path decodes with decodeURIComponent.
const encodePath = (path: string) => path.replace(/[^\x20-\x7e]|[%,]/gu, (c) => encodeURIComponent(c));

/** Names the ignored fields in the response (nothing when there are none). */
export function reportIgnoredFields(res: Response, paths: readonly string[]): void {
  if (paths.length === 0) return;
  const listed = paths.slice(0, MAX_LISTED).map(encodePath);
  if (paths.length > MAX_LISTED) listed.push(`+${paths.length - MAX_LISTED}`);
  res.setHeader(IGNORED_FIELDS_HEADER, listed.join(', '));
}
