import { beginOrder } from '@esign/order-creation';
import { CreationReservations } from '@esign/order-store';
import { ERROR_TYPES, ids, type SignerAction } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSeal } from '../../test/support/tasks.js';
import { MERCHANT, startOrderEnv, task, WORKFLOW_QUEUE, type OrderEnv } from './support/order-env.js';

// The order and task workflows end to end on the time-skipping server, with the real activities over real Redis
// and S3: creation, signer actions, cancellation. Timers and dependencies: signing-order-timers.test.ts.
describe('signingOrder', () => {
  let o: OrderEnv;
  beforeAll(async () => {
    o = await startOrderEnv();
  });
  afterAll(async () => {
    await o?.stop();
  });

  const act = (...args: Parameters<OrderEnv['act']>) => o.act(...args);

  it('creates a one-signer order, records it, completes the task and counts the history', async () => {
    const doc = await o.upload();
    const input = await o.input([task('t1', [doc.documentId])]);
    expect(await o.create(input)).toEqual({ created: true });
    const record = await o.orders.getOrder(MERCHANT, input.orderId);
    expect(record).toMatchObject({ status: 'ACTIVE', tasks: { t1: { status: 'CREATED' } } });
    // The order holds its own copy of the upload, byte for byte.
    const copy = record!.tasks.t1!.documents[0]!;
    expect(copy).toMatchObject({ documentId: 'doc-1', documentRef: doc.documentId });
    expect(copy.objectKey).toBe(storageKeys.orderDocument(MERCHANT, input.orderId, doc.documentId));
    expect(await o.store.readObject(copy.objectKey)).toEqual(await o.store.readObject(doc.objectKey));

    expect(await act(input.orderId, 't1', { type: 'STARTED' })).toEqual({ taskStatus: 'CREATED' });
    expect(await act(input.orderId, 't1', { type: 'COMPLETED' })).toEqual({ taskStatus: 'COMPLETED' });
    // Polled in the read model: a query on the time-skipping server would add workflow tasks to the history.
    await expect.poll(async () => (await o.orders.getOrder(MERCHANT, input.orderId))?.status).toBe('COMPLETED');
    const events = await o.orders.getEvents(MERCHANT, input.orderId, 't1');
    expect(events!.map((e) => e.eventType)).toEqual(['TASK_CREATED', 'TASK_STARTED', 'TASK_COMPLETED']);
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).toMatchObject({
      status: 'COMPLETED',
      deleteAt: new Date(Date.parse(input.createdAt) + 60 * 86_400_000).toISOString(),
      tasks: { t1: { status: 'COMPLETED' } },
    });

    const handles = [ids.order(input.orderId), ids.task(input.orderId, 't1')];
    // Counted once the order rests on its deletion timer: everything from creation to completion.
    const lastEvent = async () => (await o.client.workflow.getHandle(handles[0]!).fetchHistory()).events!.at(-1);
    await expect.poll(async () => (await lastEvent())?.timerStartedEventAttributes).toBeTruthy();
    const histories = await Promise.all(handles.map((id) => o.client.workflow.getHandle(id).fetchHistory()));
    const lengths = histories.map((h) => h.events!.length);
    if (process.env.DEBUG_HISTORY) for (const h of histories) console.log(h.events!.map((e) => e.eventType).join(' '));
    console.log(`history events of a one-signer order: parent ${lengths[0]} + task ${lengths[1]}`);
    expect(lengths[0]! + lengths[1]!).toBeLessThanOrEqual(60);
    await o.recordHistories('one-signer', handles);
  });

  it('seals the document before recording a SIGNED action that carries a seal request', async () => {
    const doc = await o.upload();
    const input = await o.input([{ ...task('t1', [doc.documentId]), documentActions: { 'doc-1': 'SIGN' } }]);
    expect(await o.create(input)).toEqual({ created: true });
    const seal = testSeal();
    expect(await o.sign(input.orderId, 't1', 'doc-1', seal)).toEqual({
      taskStatus: 'COMPLETED',
    });
    const result = (await o.orders.getOrder(MERCHANT, input.orderId))!.tasks.t1!.results?.['doc-1'];
    expect(result).toMatchObject({
      contentType: 'application/pdf',
      // Each seal attempt stores its own object (`doc-1.<attempt>.result`); the one recorded is the completed one's.
      objectKey: expect.stringMatching(/\/t1\/doc-1\.[0-9a-f]{12}\.result$/),
    });
    const pdf = await o.store.readObject(result!.objectKey);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('ETSI.CAdES.detached');
    // a seal request for a document that does not exist is refused before anything happens
    const other = await o.input([task('t2', [(await o.upload()).documentId])]);
    await o.create(other);
    await expect(act(other.orderId, 't2', { type: 'SIGNED', documentId: 'nope', seal })).rejects.toThrow();
    await o.recordHistories('sealed', [ids.task(input.orderId, 't1')]);
  });

  it('completes a task with the action that finishes its last document', async () => {
    const [a, b] = [await o.upload(), await o.upload()];
    const base = task('t1', [a.documentId, b.documentId]);
    const input = await o.input([{ ...base, documentActions: { 'doc-1': 'SIGN', 'doc-2': 'VIEW' } }]);
    expect(await o.create(input)).toEqual({ created: true });
    expect(await act(input.orderId, 't1', { type: 'STARTED' })).toEqual({ taskStatus: 'CREATED' });
    expect(await act(input.orderId, 't1', { type: 'VIEWED', documentId: 'doc-2' })).toEqual({ taskStatus: 'CREATED' });
    // viewing a document that must be signed does not count for it
    expect(await act(input.orderId, 't1', { type: 'VIEWED', documentId: 'doc-1' })).toEqual({ taskStatus: 'CREATED' });
    expect(await act(input.orderId, 't1', { type: 'SIGNED', documentId: 'doc-1' })).toEqual({
      taskStatus: 'COMPLETED',
    });
    await expect.poll(async () => (await o.orders.getOrder(MERCHANT, input.orderId))?.status).toBe('COMPLETED');
    const events = await o.orders.getEvents(MERCHANT, input.orderId, 't1');
    expect(events!.map((e) => e.eventType)).toEqual([
      'TASK_CREATED',
      'TASK_STARTED',
      'DOCUMENT_VIEWED',
      'DOCUMENT_VIEWED',
      'DOCUMENT_SIGNED',
      'TASK_COMPLETED',
    ]);
    // Decided by the task's input: no patch marker, and no search-attribute upsert the SDK adds with one.
    const taskHistory = await o.client.workflow.getHandle(ids.task(input.orderId, 't1')).fetchHistory();
    const patchEvents = taskHistory.events!.filter(
      (e) => e.markerRecordedEventAttributes || e.upsertWorkflowSearchAttributesEventAttributes,
    );
    expect(patchEvents).toEqual([]);
    await o.recordHistories('auto-complete', [ids.order(input.orderId), ids.task(input.orderId, 't1')]);
  });

  it('refuses a signature until every document shown to the signer was opened (the opening rule)', async () => {
    const [a, b] = [await o.upload(), await o.upload()];
    const base = task('t1', [a.documentId, b.documentId]);
    const input = await o.input([
      { ...base, documentActions: { 'doc-1': 'SIGN', 'doc-2': 'VIEW', 'doc-3': 'UPLOAD' } },
    ]);
    expect(await o.create(input)).toEqual({ created: true });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (err: unknown) => (err as WorkflowUpdateFailedError).cause as ApplicationFailure,
      );
    const signing = { type: 'SIGNED', documentId: 'doc-1' } as const;
    const first = await refusal(act(input.orderId, 't1', signing));
    expect(first).toMatchObject({ type: ERROR_TYPES.CONFLICT });
    expect((first as ApplicationFailure).message).toContain('doc-1, doc-2');
    // opened with the signature (`opened`) counts as much as an earlier VIEWED; an unopened one still refuses
    expect(await refusal(act(input.orderId, 't1', { ...signing, opened: ['doc-1'] }))).toMatchObject({
      type: ERROR_TYPES.CONFLICT,
    });
    await act(input.orderId, 't1', { type: 'VIEWED', documentId: 'doc-2' });
    // the document to upload has nothing to open: the signature goes ahead (the upload is still to come)
    expect(await act(input.orderId, 't1', { ...signing, opened: ['doc-1'] })).toEqual({ taskStatus: 'CREATED' });
    const events = await o.orders.getEvents(MERCHANT, input.orderId, 't1');
    expect(events!.map((e) => e.eventType)).toEqual([
      'TASK_CREATED',
      'DOCUMENT_VIEWED',
      'DOCUMENT_VIEWED',
      'DOCUMENT_SIGNED',
    ]);
  });

  it('rejects malformed actions and actions on a finishing task', async () => {
    const doc = await o.upload();
    const input = await o.input([task('t1', [doc.documentId])]);
    await o.create(input);
    const failureType = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError ? (err.cause as ApplicationFailure).type : (err as Error).name,
      );
    expect(await failureType(act(input.orderId, 't1', { type: 'SIGNED', documentId: 'nope' }))).toBe(
      ERROR_TYPES.VALIDATION,
    );
    expect(await failureType(act(input.orderId, 't1', { type: 'WAVED' } as unknown as SignerAction))).toBe(
      ERROR_TYPES.VALIDATION,
    );
    // Two finishing actions at once: one wins, the other finds the task no longer open.
    const outcomes = await Promise.all([
      failureType(act(input.orderId, 't1', { type: 'REJECTED', reason: 'no' })),
      failureType(act(input.orderId, 't1', { type: 'COMPLETED' })),
    ]);
    expect(outcomes.sort()).toEqual(['Conflict', 'accepted']);
    // Once the task workflow has closed, the server itself refuses the update: not a Conflict, the portal maps it.
    expect(await failureType(act(input.orderId, 't1', { type: 'STARTED' }))).toBe('WorkflowNotFoundError');
    await o.cancel(input.orderId);
  });

  it('creates nothing for a missing document: no read model, no claim, no workflow', async () => {
    const doc = await o.upload();
    const missing = 'missingDocument0000001';
    const input = await o.input([task('t1', [doc.documentId, missing])]);
    expect(await o.create(input)).toEqual({ created: false, missingDocumentRefs: [missing] });
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).toBeNull();
    expect(await o.store.deleteUpload(MERCHANT, doc.documentId)).toBe('deleted'); // no order references it
    await expect(o.client.workflow.getHandle(ids.order(input.orderId)).describe()).rejects.toThrow(/not found/i);
  });

  it('records nothing when an upload’s object is gone by its first activity (its reservation lapsed)', async () => {
    const doc = await o.upload();
    const input = await o.input([task('t1', [doc.documentId])]);
    const reservations = new CreationReservations({ redis: o.redis, keyPrefix: o.config.redis.keyPrefix });
    await o.store.removeObject(doc.objectKey); // what only a reservation outlived by its workers could see
    const begun = await beginOrder(
      { temporal: o.client, reservations, signCodeSecret: o.config.signCodeSecret, taskQueue: WORKFLOW_QUEUE },
      input,
    );
    expect(begun).toHaveProperty('record');
    const result = await o.client.workflow.getHandle(ids.order(input.orderId)).result();
    expect(result).toEqual({ created: false, missingDocumentRefs: [doc.documentId] });
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).toBeNull();
    await o.recordHistories('missing-document', [ids.order(input.orderId)]);
  });

  it('cancels an order: open tasks DELETED, documents and read model gone', async () => {
    const [a, shared] = [await o.upload(), await o.upload()];
    const input = await o.input([
      task('a', [a.documentId, shared.documentId]),
      task('b', [shared.documentId], { dependsOnTasks: ['a'] }),
    ]);
    const other = await o.input([task('x', [shared.documentId])]);
    await o.create(input);
    await o.create(other);
    await act(input.orderId, 'a', { type: 'STARTED' });
    const order = o.client.workflow.getHandle(ids.order(input.orderId));
    await o.cancel(input.orderId);
    expect(await o.orders.getOrder(MERCHANT, input.orderId)).toBeNull();
    // The order's own copies are gone; the uploads live on until their own expiry, and the other order keeps its copy.
    expect(await o.objectExists(storageKeys.orderDocument(MERCHANT, input.orderId, a.documentId))).toBe(false);
    expect(await o.objectExists(a.objectKey)).toBe(true);
    expect(await o.objectExists(storageKeys.orderDocument(MERCHANT, other.orderId, shared.documentId))).toBe(true);
    expect(await order.result()).toEqual({ created: true, status: 'DELETED', tasks: { a: 'DELETED', b: 'DELETED' } });
    await o.recordHistories('cancelled', [ids.order(input.orderId), ids.task(input.orderId, 'a')]);

    await o.cancel(other.orderId);
    expect(await o.objectExists(storageKeys.orderDocument(MERCHANT, other.orderId, shared.documentId))).toBe(false);
    expect(await o.objectExists(shared.objectKey)).toBe(true);
  });
});
