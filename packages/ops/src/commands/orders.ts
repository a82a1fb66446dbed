import { SEARCH_ATTRIBUTE_KEYS } from '@esign/temporal-contracts';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import type { OpsContext } from '../context.js';
import { table, type Outcome } from '../output.js';
import { findQuery, ordersQuery, type OrderFilter } from '../queries.js';

export interface OrderRow {
  orderId: string;
  merchantId: string;
  clientReference: string | null;
  orderStatus: string;
  workflowStatus: string;
  startedAt: string;
  workflowId: string;
  url: string;
}

function rowOf(ctx: OpsContext, w: WorkflowExecutionInfo): OrderRow {
  const attr = (key: (typeof SEARCH_ATTRIBUTE_KEYS)[keyof typeof SEARCH_ATTRIBUTE_KEYS]) =>
    w.typedSearchAttributes.get(key) ?? null;
  return {
    orderId: attr(SEARCH_ATTRIBUTE_KEYS.ORDER_ID) ?? w.workflowId.replace(/^order-/, ''),
    merchantId: attr(SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID) ?? '',
    clientReference: attr(SEARCH_ATTRIBUTE_KEYS.CLIENT_REFERENCE),
    orderStatus: attr(SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS) ?? '',
    workflowStatus: w.status.name,
    startedAt: w.startTime.toISOString(),
    workflowId: w.workflowId,
    url: ctx.workflowUrl(w.workflowId, w.runId),
  };
}

async function listBy(
  ctx: OpsContext,
  query: string,
  limit: number,
): Promise<Outcome<{ query: string; orders: OrderRow[] }>> {
  const client = await ctx.temporal();
  const orders: OrderRow[] = [];
  for await (const w of client.workflow.list({ query })) {
    orders.push(rowOf(ctx, w));
    if (orders.length >= limit) break;
  }
  const text = orders.length
    ? table(
        ['ORDER', 'MERCHANT', 'CLIENT REFERENCE', 'STATUS', 'WORKFLOW', 'STARTED'],
        orders.map((o) => [
          o.orderId,
          o.merchantId,
          o.clientReference ?? '',
          o.orderStatus,
          o.workflowStatus,
          o.startedAt,
        ]),
      )
    : `no orders match ${query}`;
  return { ok: true, json: { query, orders }, text };
}

/** Orders matching every filter, newest first (Temporal visibility over the Sign* search attributes). */
export function listOrders(ctx: OpsContext, filter: OrderFilter, limit: number) {
  return listBy(ctx, ordersQuery(filter), limit);
}

/** Orders whose id or client reference is `text`. */
export function findOrders(ctx: OpsContext, text: string, limit: number) {
  return listBy(ctx, findQuery(text), limit);
}
