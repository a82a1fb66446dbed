import { OPERATIONS, pathParameters } from '@esign/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { stackClients } from '../support/clients.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { signerAction } from '../support/tasks.js';

// Every implemented operation that addresses a resource, called by the other merchant on the demo merchant's
// resources: 404 with the same body as a missing resource, and the resource unharmed. New operations join the
// matrix by being marked available; one whose path parameters this file cannot fill fails here.
describe('tenant isolation matrix', () => {
  const values: Record<string, string> = { taskId: 'signer1' };
  beforeAll(async () => {
    values.uploadId = await uploadOk('demo', 'matrix document', 'text/plain');
    const { order } = await simpleOrder('demo');
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    values.orderId = ((await res.json()) as { id: string }).id;
    // Signed with a seal, as the portal does, so the result and generated documents exist for their owner.
    const c = await stackClients();
    try {
      await signerAction(c.temporal, values.orderId, 'signer1', {
        type: 'SIGNED',
        documentId: 'doc1',
        seal: {
          signatureType: 'AUTHENTICATION_BASED',
          evidence: {
            signerName: 'Kari Nordmann',
            method: 'nbid-sign',
            authenticatedAt: new Date().toISOString(),
            claims: { national_id: '01017012345' },
            ip: '127.0.0.1',
            userAgent: 'tenant-matrix',
          },
        },
      });
    } finally {
      await c.close();
    }
  });

  const addressed = OPERATIONS.filter((op) => op.available && pathParameters(op.path).length > 0);
  it('covers every implemented operation that names a resource', () => {
    expect(addressed.length).toBeGreaterThanOrEqual(8);
  });

  for (const op of addressed) {
    it(`${op.method.toUpperCase()} ${op.path}`, async () => {
      const fill = (missing: boolean) =>
        pathParameters(op.path).reduce((path, name) => {
          const value =
            name === 'documentId' ? (op.path.startsWith('/documents') ? values.uploadId : 'doc1') : values[name];
          if (!value) throw new Error(`no value for path parameter ${name}`);
          return path.replace(`{${name}}`, missing && name !== 'taskId' ? 'AAAAAAAAAAAAAAAAAAAAAA' : value);
        }, op.path);
      const method = op.method.toUpperCase();
      const foreign = await api('other', fill(false), { method });
      const absent = await api('other', fill(true), { method });
      expect(foreign.status).toBe(404);
      expect(absent.status).toBe(404);
      const body = async (r: Response) => ({ ...((await r.json()) as Record<string, unknown>), traceId: undefined });
      expect(await body(foreign)).toEqual(await body(absent));
      // The owner still reaches it (a GET of the same resource, so DELETE rows check it survived).
      expect((await api('demo', fill(false))).status).toBe(200);
    });
  }
});
