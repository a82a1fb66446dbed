import { ArchiveStore } from '@esign/archive-store';
import { createPayloadEncryption, OrderDataDeletedError } from '@esign/payload-codec';
import { ids } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSeal } from '../../test/support/tasks.js';
import { MERCHANT, startOrderEnv, task, type OrderEnv } from './support/order-env.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Expiry, deletion and dependencies of the order workflows, with time skipped on the test server.
describe('signingOrder timers and dependencies', () => {
  let o: OrderEnv;
  beforeAll(async () => {
    o = await startOrderEnv();
  });
  afterAll(async () => {
    await o?.stop();
  });

  const taskStatus = async (orderId: string, taskId: string) =>
    (await o.orders.getOrder(MERCHANT, orderId))?.tasks[taskId]?.status;

  it('expires a task at daysToLive, not earlier, and deletes the order daysUntilDeletion later', async () => {
    const doc = await o.upload();
    const input = await o.input([task('t1', [doc.documentId])], 2);
    await o.create(input);
    const expiresAt = Date.parse(input.createdAt) + 30 * DAY;

    await o.env.sleep(29 * DAY + 23 * HOUR);
    expect((await o.state(input.orderId)).tasks.t1).toMatchObject({ status: 'CREATED', opened: true });
    expect(await taskStatus(input.orderId, 't1')).toBe('CREATED');

    await o.env.sleep(2 * HOUR);
    await expect.poll(() => taskStatus(input.orderId, 't1')).toBe('EXPIRED');
    const events = await o.orders.getEvents(MERCHANT, input.orderId, 't1');
    expect(events!.at(-1)).toEqual({ eventType: 'TASK_EXPIRED', eventTime: new Date(expiresAt).toISOString() });
    const deleteAt = new Date(expiresAt + 2 * DAY).toISOString();
    await expect.poll(async () => (await o.state(input.orderId)).status).toBe('ENDED');
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).toMatchObject({ status: 'ENDED', deleteAt });

    await o.env.sleep(2 * DAY - 2 * HOUR);
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).not.toBeNull();
    const copy = storageKeys.orderDocument(MERCHANT, input.orderId, doc.documentId);
    expect(await o.objectExists(copy)).toBe(true);
    const result = await o.client.workflow.getHandle(ids.order(input.orderId)).result();
    expect(result).toEqual({ created: true, status: 'ENDED', tasks: { t1: 'EXPIRED' } });
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).toBeNull();
    expect(await o.objectExists(copy)).toBe(false);
    // The upload is the client's, not the order's: it ends by its own expiry (or DELETE), untouched here.
    expect(await o.store.getMeta(MERCHANT, doc.documentId)).not.toBeNull();
    expect(new Date(await o.env.currentTimeMs()).toISOString() >= deleteAt).toBe(true);
    // Its payloads are shredded with it: its data key is marked deleted now (and destroyed after the delay), so what
    // Temporal keeps of its histories until retention reads as deleted, for operators at once and then for anyone.
    const keyPrefix = o.config.redis.keyPrefix;
    expect(await o.redis.exists(keyPrefix + storageKeys.payloadKeyDeleted(input.orderId))).toBe(1);
    const history = await o.client.workflow.getHandle(ids.order(input.orderId)).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const operators = createPayloadEncryption(o.config.payloads, { redis: o.redis, keyPrefix, strict: true });
    await expect(operators.codec.decode(started)).rejects.toBeInstanceOf(OrderDataDeletedError);
    await o.recordHistories('expiry', [ids.order(input.orderId), ids.task(input.orderId, 't1')]);
  });

  it('opens a dependent task only once its dependency COMPLETED', async () => {
    const doc = await o.upload();
    const input = await o.input([task('a', [doc.documentId]), task('b', [doc.documentId], { dependsOnTasks: ['a'] })]);
    await o.create(input);
    expect((await o.state(input.orderId)).tasks).toMatchObject({ a: { opened: true }, b: { opened: false } });
    await expect(o.act(input.orderId, 'b', { type: 'STARTED' })).rejects.toThrow(); // no such workflow yet

    await o.act(input.orderId, 'a', { type: 'STARTED' });
    expect((await o.state(input.orderId)).tasks.b!.opened).toBe(false);
    await o.act(input.orderId, 'a', { type: 'COMPLETED' });
    await expect.poll(async () => (await o.state(input.orderId)).tasks.b!.opened).toBe(true);
    expect(await o.act(input.orderId, 'b', { type: 'COMPLETED' })).toEqual({ taskStatus: 'COMPLETED' });
    await expect.poll(async () => (await o.orders.getOrder(MERCHANT, input.orderId))?.status).toBe('COMPLETED');
    await o.recordHistories('dependencies', [
      ids.order(input.orderId),
      ids.task(input.orderId, 'a'),
      ids.task(input.orderId, 'b'),
    ]);
    await o.cancel(input.orderId);
  });

  it('deletes a dependent task whose dependency was REJECTED, and expires a blocked one on time', async () => {
    const doc = await o.upload();
    const input = await o.input([
      task('a', [doc.documentId]),
      task('b', [doc.documentId], { dependsOnTasks: ['a'] }),
      task('c', [doc.documentId], { dependsOnTasks: ['b'] }),
    ]);
    await o.create(input);
    await o.act(input.orderId, 'a', { type: 'REJECTED', reason: 'not me' });
    await expect.poll(() => taskStatus(input.orderId, 'c')).toBe('DELETED');
    expect(await taskStatus(input.orderId, 'b')).toBe('DELETED');
    expect((await o.orders.getEvents(MERCHANT, input.orderId, 'b'))!.map((e) => e.data ?? e.eventType)).toEqual([
      'TASK_CREATED',
      'TASK_DELETED',
    ]);
    await expect.poll(async () => (await o.orders.getOrder(MERCHANT, input.orderId))?.status).toBe('ENDED');
    await o.recordHistories('rejected-dependency', [ids.order(input.orderId), ids.task(input.orderId, 'a')]);
    await o.cancel(input.orderId);

    const fresh = await o.upload(); // the cancelled order took its only upload with it
    const blocked = await o.input([
      task('a', [fresh.documentId]),
      task('b', [fresh.documentId], { dependsOnTasks: ['a'], daysToLive: 5 }),
    ]);
    expect(await o.create(blocked)).toEqual({ created: true });
    await o.env.sleep(5 * DAY - HOUR);
    expect(await taskStatus(blocked.orderId, 'b')).toBe('CREATED');
    await o.env.sleep(2 * HOUR);
    await expect.poll(() => taskStatus(blocked.orderId, 'b')).toBe('EXPIRED');
    expect(await taskStatus(blocked.orderId, 'a')).toBe('CREATED');
    await o.cancel(blocked.orderId);
    const result = await o.client.workflow.getHandle(ids.order(blocked.orderId)).result();
    expect(result).toEqual({ created: true, status: 'DELETED', tasks: { a: 'DELETED', b: 'EXPIRED' } });
    await o.recordHistories('blocked-expiry', [ids.order(blocked.orderId), ids.task(blocked.orderId, 'a')]);
  });

  it('keeps archived copies after the deletion timer removed the order', async () => {
    const doc = await o.upload();
    const input = {
      ...(await o.input([{ ...task('t1', [doc.documentId], { daysToLive: 2 }), archiveDocuments: ['doc-1'] }], 1)),
      packaging: [
        {
          packagingTaskId: 'pkg1',
          method: 'pades' as const,
          sendToArchive: true,
          documents: [{ taskId: 't1', documentIds: ['doc-1'] }],
        },
      ],
    };
    expect(await o.create(input)).toEqual({ created: true });
    const seal = testSeal();
    await o.act(input.orderId, 't1', { type: 'SIGNED', documentId: 'doc-1', seal });
    await o.act(input.orderId, 't1', { type: 'COMPLETED' }).catch(() => undefined); // completed already: refused
    const packaging = o.client.workflow.getHandle(ids.packaging(input.orderId, 'pkg1'));
    await expect
      .poll(
        () =>
          packaging.describe().then(
            () => true,
            () => false,
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await packaging.result()).toBe('COMPLETED');
    const record = (await o.orders.getOrder(MERCHANT, input.orderId))!;
    const documentArchive = record.tasks.t1!.archived!['doc-1']!;
    const packageArchive = record.packaging!.pkg1!.archiveId!;

    await o.env.sleep(4 * DAY); // past expiry (2 days) + daysUntilDeletion (1 day)
    // The deletion's activity also ends deliveries and marks the payload key deleted: give it a loaded machine's time.
    await expect.poll(() => o.orders.getOrder(MERCHANT, input.orderId), { timeout: 20_000 }).toBeNull();
    const archive = new ArchiveStore({
      s3: o.s3,
      redis: o.redis,
      keyPrefix: o.config.redis.keyPrefix,
      bucket: o.config.s3.buckets.archive,
    });
    for (const archiveId of [documentArchive, packageArchive]) {
      const kept = await archive.get(MERCHANT, archiveId);
      expect(kept?.record).toMatchObject({ archiveId, merchantId: MERCHANT });
      kept?.body.destroy();
    }
  });
});
