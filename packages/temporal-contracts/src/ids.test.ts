import { describe, expect, it } from 'vitest';
import { ids } from './index.js';
import { newId } from './random.js';

describe('ids', () => {
  it('derives readable workflow ids from opaque ids', () => {
    expect(ids.order('abc')).toBe('order-abc');
    expect(ids.task('abc', 't1')).toBe('order-abc-task-t1');
  });

  it('refuses anything that could carry personal data or break a workflow id', () => {
    for (const bad of ['alice@example.com', '+4791234567', 'a b', '', 'x'.repeat(129), '../etc']) {
      expect(() => ids.order(bad)).toThrow();
    }
  });

  it('generates 128-bit ids that are unique and safe', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => newId()));
    expect(seen.size).toBe(2000);
    for (const id of seen) {
      expect(id).toHaveLength(22);
      expect(ids.isSafe(id)).toBe(true);
    }
  });
});
