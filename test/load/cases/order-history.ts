// Case 6 (and the activity count case 2 compares with): the Temporal history of one-signer orders from creation to
// completion — the order workflow and its task child, after the signer opened the task and signed its only document
// through the Update path and the order recorded COMPLETED (resting on its deletion timer).
import { ORDER_MESSAGES, type OrderStateView } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import type { Orders } from '../orders.js';

export interface OrderHistory {
  orderEvents: number;
  taskEvents: number;
  total: number;
  /** ActivityTaskScheduled events of the order and its task child. */
  activities: number;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

async function history(temporal: Client, workflowId: string) {
  return (await temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** One order created, signed and completed; its history once the order workflow has nothing left to do. */
export async function oneOrderHistory(ctx: { orders: Orders; temporal: Client }): Promise<OrderHistory> {
  const { orders, temporal } = ctx;
  const orderId = await orders.create();
  await orders.sign(orderId);
  const wf = orders.workflowIds(orderId);
  await temporal.workflow.getHandle(wf.task).result();
  // The order records COMPLETED in an activity after the child ends (queries write no history).
  const order = temporal.workflow.getHandle(wf.order);
  const deadline = Date.now() + 30_000;
  while ((await order.query<OrderStateView>(ORDER_MESSAGES.STATE)).status !== 'COMPLETED') {
    if (Date.now() > deadline) throw new Error(`order ${orderId}: not COMPLETED 30 s after its task`);
    await sleep(100);
  }
  // Then whatever its last workflow task does: settled when the history stops growing.
  let events = await history(temporal, wf.order);
  for (;;) {
    await sleep(1000);
    const again = await history(temporal, wf.order);
    if (again.length === events.length) break;
    events = again;
    if (Date.now() > deadline) throw new Error(`order ${orderId}: history still growing after 30 s`);
  }
  const task = await history(temporal, wf.task);
  const scheduled = [...events, ...task].filter((e) => e.activityTaskScheduledEventAttributes).length;
  return {
    orderEvents: events.length,
    taskEvents: task.length,
    total: events.length + task.length,
    activities: scheduled,
  };
}

/** `count` orders one after the other (after one warm-up order, not counted). */
export async function orderHistories(ctx: { orders: Orders; temporal: Client }, count = 3): Promise<OrderHistory[]> {
  await oneOrderHistory(ctx);
  const out: OrderHistory[] = [];
  for (let i = 0; i < count; i++) out.push(await oneOrderHistory(ctx));
  return out;
}
