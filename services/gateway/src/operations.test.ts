import { OPERATIONS } from '@esign/contracts';
import { describe, expect, it } from 'vitest';
import { operationHandlers, type ApiDeps } from './api.js';
import { servedOperations } from './operations.js';

describe('operation availability', () => {
  it("matches the contract package's flags, so the published list cannot drift from what the gateway serves", () => {
    // Handlers are plain closures: building them needs no clients.
    const deps = { config: { apiBasePath: '/enterprise/sign' } } as unknown as ApiDeps;
    const served = servedOperations(operationHandlers(deps));
    expect(served.map((op) => [op.operationId, op.available])).toEqual(
      OPERATIONS.map((op) => [op.operationId, op.available]),
    );
    expect(served.some((op) => op.available)).toBe(true);
  });
});
