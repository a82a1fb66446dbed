import { claimAndRecord } from '@esign/order-store';
import { CREATION_CHECK_SECONDS, ids, taskExpiries, type PendingCreation } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERCHANT, startOrderEnv, task, WORKFLOW_QUEUE, type OrderEnv } from './support/order-env.js';

// The gateway records an order and claims its uploads before it starts the order's workflow. Should it die in
// between (or the start fail), the durable check of that second undoes the creation; orders that started are left
// alone. Time-skipping server, real document-storage activities over real Redis and S3.
describe('creationCheck', () => {
  let o: OrderEnv;
  beforeAll(async () => {
    o = await startOrderEnv();
  });
  afterAll(async () => {
    await o?.stop();
  });

  /** What the gateway writes before its start call: the listing, then the claims and read model. */
  async function begin(second: number, documentRefs: string[]) {
    const input = await o.input([task('t1', documentRefs)]);
    const pending: PendingCreation = { merchantId: MERCHANT, orderId: input.orderId, documentRefs, taskIds: ['t1'] };
    await o.orders.markCreation(second, pending);
    const deps = { uploads: o.store, orders: o.orders, signCodeSecret: o.config.signCodeSecret };
    expect((await claimAndRecord(deps, input, taskExpiries(input))).missingDocumentRefs).toEqual([]);
    return { input, pending };
  }

  const check = (second: number) =>
    o.client.workflow.execute('creationCheck', {
      taskQueue: WORKFLOW_QUEUE,
      workflowId: ids.creationCheck(second),
      args: [{ second }],
    });

  it('undoes a creation whose workflow never started and keeps one that did', async () => {
    const second = Math.floor((await o.env.currentTimeMs()) / 1000);
    const [kept, shared, expired] = [await o.upload(), await o.upload(), await o.upload()];
    // Abandoned: its own upload, one shared with the started order, and one whose 30 minutes are over.
    const abandoned = await begin(second, [kept.documentId, shared.documentId, expired.documentId]);
    await o.redis.set(
      `${o.config.redis.keyPrefix}m:${MERCHANT}:upload:${expired.documentId}`,
      JSON.stringify({
        ...(await o.store.getMeta(MERCHANT, expired.documentId)),
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      }),
    );
    const started = await o.input([task('t1', [shared.documentId])]);
    expect(await o.create(started)).toEqual({ created: true });
    await o.orders.markCreation(second, {
      merchantId: MERCHANT,
      orderId: started.orderId,
      documentRefs: [shared.documentId],
      taskIds: ['t1'],
    });

    const before = await o.env.currentTimeMs();
    expect(await check(second)).toEqual({ started: 1, abandoned: 1 });
    // The check waits out the gateway's start deadline: it ran CREATION_CHECK_SECONDS after that second.
    expect((await o.env.currentTimeMs()) - before).toBeGreaterThanOrEqual((CREATION_CHECK_SECONDS - 1) * 1000);

    expect(await o.orders.getOrder(MERCHANT, abandoned.input.orderId)).toBeNull();
    expect(await o.orders.findOwner(abandoned.input.orderId)).toBeNull();
    expect(await o.orders.pendingCreations(second)).toEqual([]);
    // Released: unclaimed again (deletable), still referenced by the started order, expired at once.
    expect(await o.store.deleteUpload(MERCHANT, kept.documentId)).toBe('deleted');
    expect(await o.store.deleteUpload(MERCHANT, shared.documentId)).toBe('referenced');
    expect(await o.store.getMeta(MERCHANT, expired.documentId)).toBeNull();
    expect(await o.objectExists(expired.objectKey)).toBe(false);
    // The started order is untouched (time may have skipped on to its task's expiry meanwhile: not to deletion).
    expect(await o.orders.getOrder(MERCHANT, started.orderId)).toMatchObject({ orderId: started.orderId });
    await o.cancel(started.orderId);
  });
});
