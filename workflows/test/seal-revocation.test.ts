import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPki, type TestPki } from '@esign/devstack';
import { loadSigningIdentity, padesLevels, verifyLongTerm } from '@esign/pdf-signing';
import { ERROR_TYPES } from '@esign/temporal-contracts';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSeal } from '../../test/support/tasks.js';
import { MERCHANT, startOrderEnv, task, type OrderEnv } from './support/order-env.js';

// The seal certificate revoked in the test PKI between two signings: the first result stays valid (its revocation
// data predates the revocation), the second is never produced, and the task says why and stays open. The order
// workflows on the time-skipping server with the real activities; a test PKI of its own, so revoking its seal
// certificate touches no other test.
describe('sealing after the seal certificate is revoked', () => {
  let o: OrderEnv;
  let pki: TestPki;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esign-revocation-'));
    pki = await startTestPki({ dataDir: dir });
    const identity = await loadSigningIdentity({ dataDir: dir });
    o = await startOrderEnv({
      sealing: { identity: () => Promise.resolve(identity), tsaUrl: pki.tsaUrl(), level: 'B-LTA' },
    });
  });
  afterAll(async () => {
    await o?.stop();
    await pki?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const signedOrder = async () => {
    const doc = await o.upload();
    const input = await o.input([{ ...task('t1', [doc.documentId]), documentActions: { 'doc-1': 'SIGN' } }]);
    expect(await o.create(input)).toEqual({ created: true });
    const signing = o.sign(input.orderId, 't1', 'doc-1', testSeal());
    return {
      orderId: input.orderId,
      outcome: await signing.then(
        (r) => r,
        (err: unknown) => err,
      ),
    };
  };

  it('keeps the result signed before valid and refuses to produce one after, naming the certificate', async () => {
    const before = await signedOrder();
    expect(before.outcome).toEqual({ taskStatus: 'COMPLETED' });
    const result = (await o.orders.getOrder(MERCHANT, before.orderId))!.tasks.t1!.results!['doc-1']!;
    const pdf = await o.store.readObject(result.objectKey);
    expect(await padesLevels(pdf)).toEqual(['B-LTA']);

    await new Promise((r) => setTimeout(r, 1100)); // the revocation strictly after the first seal's data
    await pki.revoke('seal');
    const after = await signedOrder();
    expect(after.outcome).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (after.outcome as WorkflowUpdateFailedError).cause?.cause as { type?: string } | undefined;
    expect(cause?.type).toBe(ERROR_TYPES.SEAL_CERTIFICATE_REVOKED);
    const order = await o.orders.getOrder(MERCHANT, after.orderId);
    expect(order!.tasks.t1!.status).toBe('CREATED');
    expect(order!.tasks.t1!.results?.['doc-1']).toBeUndefined();
    const events = await o.orders.getEvents(MERCHANT, after.orderId, 't1');
    expect(events!.find((e) => e.eventType === 'ERROR')?.data).toMatch(
      /^SEAL_FAILED: the certificate ".*CN=esign dev seal" is revoked \(OCSP\)$/,
    );

    // pyHanko's long-term validation of the first result, now that the certificate is revoked.
    const verdict = await verifyLongTerm(pdf, { caPems: [pki.rootPem] });
    expect(verdict.signatures, verdict.raw).toMatchObject([{ indication: 'PASSED' }]);
  });
});
