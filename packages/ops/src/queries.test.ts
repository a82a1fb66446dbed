import { describe, expect, it } from 'vitest';
import { findQuery, ordersQuery, quote } from './queries.js';

describe('visibility queries', () => {
  it('quote values so that no input leaves its string', () => {
    expect(quote('contract-42')).toBe('"contract-42"');
    expect(quote('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(() => quote('line\nbreak')).toThrow(/control characters/);
  });

  it('combine the given filters only', () => {
    expect(ordersQuery({})).toBe('WorkflowType = "signingOrder"');
    expect(ordersQuery({ merchantId: 'm1', status: 'ACTIVE', clientReference: 'r"1' })).toBe(
      'WorkflowType = "signingOrder" AND SignMerchantId = "m1" AND SignClientReference = "r\\"1" AND SignOrderStatus = "ACTIVE"',
    );
    expect(findQuery('x')).toBe('WorkflowType = "signingOrder" AND (SignOrderId = "x" OR SignClientReference = "x")');
  });
});
