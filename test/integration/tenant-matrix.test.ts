import { createArchiveActivities } from '@esign/archive';
import { OPERATIONS, pathParameters } from '@esign/contracts';
import { storageKeys } from '@esign/storage-keys';
import { newId } from '@esign/temporal-contracts/random';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256, uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { stackClients } from '../support/clients.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { signDocument, testSeal } from '../support/tasks.js';

// Every implemented operation that addresses a resource, called by the other merchant on the demo merchant's
// resources: 404 with the same body as a missing resource, and the resource unharmed. New operations join the
// matrix by being marked available; one whose path parameters this file cannot fill fails here.
describe('tenant isolation matrix', () => {
  const values: Record<string, string> = { taskId: 'signer1', packagingTaskId: 'pkg1' };
  beforeAll(async () => {
    values.uploadId = await uploadOk('demo', 'matrix document', 'text/plain');
    const { order } = await simpleOrder('demo', {
      packagingTasks: [{ id: 'pkg1', method: 'pades', documents: [{ taskId: 'signer1', documentIds: ['doc1'] }] }],
    });
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    values.orderId = ((await res.json()) as { id: string }).id;
    // Signed with a seal, as the portal does, so the result and generated documents exist for their owner.
    const c = await stackClients();
    try {
      await signDocument(c.temporal, values.orderId, 'signer1', 'doc1', testSeal());
      // The package exists once the only signer has signed (polled by hand: expect.poll is for tests only).
      const packaged = async () => {
        const res = await api('demo', `/orders/${values.orderId}/packaging-tasks/pkg1/status`);
        return ((await res.json()) as { packagingTaskStatus?: string }).packagingTaskStatus === 'COMPLETED';
      };
      for (let i = 0; i < 300 && !(await packaged()); i++) await new Promise((r) => setTimeout(r, 100));
      // An archived document of the demo merchant, archived by the archive service's own activity from a result
      // put in the documents bucket here (the archive outlives orders, so it needs no order of its own).
      const archived = Buffer.from('%PDF-1.7\n% tenant matrix archived document\n%%EOF\n');
      const source = { kind: 'document' as const, orderId: newId(), taskId: 'signer1', documentId: 'doc1' };
      const objectKey = storageKeys.documentResult('demo-merchant', source.orderId, 'signer1', 'doc1', 'result');
      const { buckets } = c.config.s3;
      await c.s3.putObject(buckets.documents, objectKey, archived, archived.length, {
        'Content-Type': 'application/pdf',
      });
      const archive = createArchiveActivities({
        s3: c.s3,
        redis: c.redis,
        keyPrefix: c.config.redis.keyPrefix,
        buckets,
        idSecret: c.config.signCodeSecret,
      });
      values.archiveId = (
        await archive.sendResultToArchive({
          merchantId: 'demo-merchant',
          source,
          objectKey,
          contentType: 'application/pdf',
          sha256: sha256(archived),
        })
      ).archiveId;
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
