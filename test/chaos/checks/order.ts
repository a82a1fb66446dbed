import type { OrderStore } from '@esign/order-store';
import { ids, TASK_EVENT_TYPES, type TaskEvent } from '@esign/temporal-contracts';
import { DOCUMENT_ID, sha256, TASK_ID, type OrderRun } from '../order-run.js';
import { taskEvents } from '../orders.js';
import { MERCHANT_ID, type VerifyContext } from './context.js';

/** Final state, events and documents of one order. */
export async function checkOrder(
  ctx: VerifyContext,
  orders: OrderStore,
  run: OrderRun,
  name: string,
  problems: string[],
  events: Map<string, TaskEvent[]>,
): Promise<{ documents: number; originals: number; results: number }> {
  const orderId = run.orderId!;
  const figures = { documents: 0, originals: 0, results: 0 };
  const order = await ctx.api.call('GET', `/orders/${orderId}`);
  const record = await orders.getOrder(MERCHANT_ID, orderId);
  const workflow = await ctx.temporal.workflow
    .getHandle(ids.order(orderId))
    .describe()
    .then((d) => d.status.name)
    .catch((err: unknown) => `not found (${err instanceof Error ? err.name : String(err)})`);
  if (run.kind === 'cancel') {
    if (order.status !== 404) problems.push(`${name}: deleted, but GET answers ${order.status}`);
    if (record) problems.push(`${name}: deleted, but its read model is still in Redis (status ${record.status})`);
    if (workflow !== 'COMPLETED') problems.push(`${name}: deleted, but its workflow is ${workflow}`);
    const original = await ctx.api.call('GET', `/orders/${orderId}/tasks/${TASK_ID}/documents/${DOCUMENT_ID}/original`);
    if (original.status !== 404) problems.push(`${name}: deleted, but its original answers ${original.status}`);
    return figures;
  }
  const expected =
    run.kind === 'sign' ? { task: 'COMPLETED', order: 'COMPLETED' } : { task: 'REJECTED', order: 'ENDED' };
  if (order.status !== 200) {
    problems.push(`${name}: GET answers ${order.status}, expected the order`);
    figures.documents++;
    return figures;
  }
  const status = await ctx.api.call('GET', `/orders/${orderId}/tasks/${TASK_ID}/status`);
  const taskStatus = (JSON.parse(status.body.toString()) as { taskStatus?: string }).taskStatus;
  if (taskStatus !== expected.task) problems.push(`${name}: task is ${taskStatus}, expected ${expected.task}`);
  if (record?.status !== expected.order) {
    problems.push(`${name}: order is ${record?.status ?? 'missing'} in the read model, expected ${expected.order}`);
  }
  // A finished order waits for its deletion date: its workflow runs on.
  if (workflow !== 'RUNNING') problems.push(`${name}: its workflow is ${workflow}, expected RUNNING until deletion`);

  const list = await taskEvents(ctx.api, orderId);
  events.set(orderId, list);
  const once = (type: string) => {
    const n = list.filter((e) => e.eventType === type).length;
    if (n !== 1) problems.push(`${name}: ${n} ${type} events, expected 1`);
  };
  once(TASK_EVENT_TYPES.CREATED);
  once(TASK_EVENT_TYPES.STARTED);
  if (run.kind === 'sign') {
    once(TASK_EVENT_TYPES.SIGNED);
    once(TASK_EVENT_TYPES.COMPLETED);
  } else {
    once(TASK_EVENT_TYPES.REJECTED);
  }

  const docs = `/orders/${orderId}/tasks/${TASK_ID}/documents/${DOCUMENT_ID}`;
  const original = await ctx.api.call('GET', `${docs}/original`);
  figures.originals++;
  if (original.status !== 200 || sha256(original.body) !== run.sha256) {
    problems.push(`${name}: original lost or changed (HTTP ${original.status}, SHA-256 ${sha256(original.body)})`);
    figures.documents++;
  }
  const result = await ctx.api.call('GET', `${docs}/result`);
  if (run.kind === 'reject') {
    if (result.status !== 409) problems.push(`${name}: a rejected task's result answers ${result.status}, not 409`);
    return figures;
  }
  figures.results++;
  // The seal is an incremental update: the signed PDF is the original, byte for byte, followed by the signature.
  const sealed =
    result.status === 200 &&
    result.body.subarray(0, 5).toString() === '%PDF-' &&
    result.body.length > run.pdf.length &&
    result.body.subarray(0, run.pdf.length).equals(run.pdf);
  if (!sealed) {
    problems.push(
      `${name}: result lost or not the sealed original (HTTP ${result.status}, ${result.body.length} bytes)`,
    );
    figures.documents++;
  }
  return figures;
}
