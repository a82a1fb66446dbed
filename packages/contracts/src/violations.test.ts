import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contractErrorMap } from './messages.js';
import { formatPropertyPath, zodIssuesToViolations } from './violations.js';
import { parseWith } from './validate-order.js';

describe('violations', () => {
  it('formats paths in the contract form', () => {
    expect(formatPropertyPath(['tasks', 0, 'documents', 1, 'documentRef'])).toBe('tasks[0].documents[1].documentRef');
    expect(formatPropertyPath([])).toBe('');
    expect(formatPropertyPath(['x-y', 'a b'])).toBe('["x-y"]["a b"]');
  });

  it('maps zod issues, one violation per unknown field', () => {
    const schema = z.strictObject({ tasks: z.array(z.strictObject({ id: z.string() })) });
    const result = schema.safeParse({ tasks: [{ id: 1, foo: 1, bar: 2 }] }, { error: contractErrorMap });
    expect(result.success).toBe(false);
    expect(zodIssuesToViolations(result.error!.issues)).toEqual([
      { propertyPath: 'tasks[0].id', message: 'must be a string' },
      { propertyPath: 'tasks[0].foo', message: 'is not a known field' },
      { propertyPath: 'tasks[0].bar', message: 'is not a known field' },
    ]);
  });

  it('parses any schema into a validation result', () => {
    const schema = z.object({ name: z.string().max(3), kind: z.enum(['a', 'b']), n: z.number().min(2) });
    expect(parseWith(schema, { name: 'abcd', n: 1 })).toEqual({
      ok: false,
      violations: [
        { propertyPath: 'name', message: 'must have at most 3 characters' },
        { propertyPath: 'kind', message: 'is required' },
        { propertyPath: 'n', message: 'must be at least 2' },
      ],
    });
    expect(parseWith(schema, { name: 'ab', kind: 'b', n: 2 })).toEqual({
      ok: true,
      value: { name: 'ab', kind: 'b', n: 2 },
    });
  });
});
