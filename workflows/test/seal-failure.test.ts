import { ERROR_TYPES } from '@esign/temporal-contracts';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@esign/devstack';
import { testSeal } from '../../test/support/tasks.js';
import { MERCHANT, startOrderEnv, task, type OrderEnv } from './support/order-env.js';

// A TSA that does not answer: the seal activity is retried with backoff, the task stays open, and after the last
// attempt the task's events name the service (the real activities over the stack's Redis, S3 and SoftHSM2 key).
describe('sealing while the TSA is down', () => {
  let o: OrderEnv;
  let tsaUrl: string;
  const failures: string[] = [];
  beforeAll(async () => {
    tsaUrl = `http://127.0.0.1:${await freePort()}/esign/tsa/tsa`; // nothing listens there
    o = await startOrderEnv({
      sealing: { tsaUrl, level: 'B-LTA', onDependencyFailure: (service) => failures.push(service) },
    });
  });
  afterAll(async () => {
    await o?.stop();
  });

  it('retries, keeps the task open, and records an ERROR event naming the TSA', async () => {
    const doc = await o.upload();
    const input = await o.input([{ ...task('t1', [doc.documentId]), documentActions: { 'doc-1': 'SIGN' } }]);
    expect(await o.create(input)).toEqual({ created: true });
    const failure = await o.sign(input.orderId, 't1', 'doc-1', testSeal()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    // Every attempt of the retry policy (5) failed on the TSA, each counted.
    expect(failures).toEqual(['TSA', 'TSA', 'TSA', 'TSA', 'TSA']);
    const cause = (failure as WorkflowUpdateFailedError).cause?.cause as { type?: string } | undefined;
    expect(cause?.type).toBe(ERROR_TYPES.DEPENDENCY_UNAVAILABLE);

    const order = await o.orders.getOrder(MERCHANT, input.orderId);
    expect(order!.tasks.t1!.status).toBe('CREATED');
    expect(order!.tasks.t1!.results?.['doc-1']).toBeUndefined();
    const events = await o.orders.getEvents(MERCHANT, input.orderId, 't1');
    const error = events!.find((e) => e.eventType === 'ERROR');
    expect(error?.data).toBe(`SEAL_FAILED: the TSA at ${tsaUrl} did not answer; the document was not sealed`);
  });
});
