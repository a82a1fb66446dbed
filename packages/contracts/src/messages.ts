import type { z } from 'zod';

// Messages for the generic zod issues, phrased for an API client ("is required", "must be one of: …"). Messages
// written on a schema itself (formats, ranges) take precedence over these.

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

const UNITS: Record<string, [string, string]> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
};

function bound(kind: 'least' | 'most', origin: string, limit: number | bigint): string {
  const unit = UNITS[origin];
  if (!unit) return `must be at ${kind} ${limit}`;
  return `must have at ${kind} ${limit} ${limit === 1 ? unit[0] : unit[1]}`;
}

/** A per-parse zod error map: `schema.safeParse(body, { error: contractErrorMap })`. */
export const contractErrorMap: z.core.$ZodErrorMap = (issue) => {
  const missing = issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
  if (missing) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return bound('least', issue.origin, issue.minimum);
    case 'too_big':
      return bound('most', issue.origin, issue.maximum);
    case 'invalid_format':
      return issue.format === 'regex' ? 'has an invalid format' : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};
