import { ids, SEARCH_ATTRIBUTE_KEYS, WORKFLOW_TYPES, type TaskEvent } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import type { OpsContext } from '../context.js';
import { OpsError } from '../output.js';
import { readDelivery, redrivesOf, type Delivery } from './deliveries.js';
import { childStarts } from './history.js';

export interface WorkflowRef {
  workflowId: string;
  type: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
  url: string;
}

export interface TimelineEntry {
  at: string;
  source: 'event' | 'delivery' | 'workflow';
  /** The task, delivery or workflow the entry is about. */
  subject: string;
  text: string;
}

export interface Timeline {
  orderId: string;
  merchantId: string | null;
  clientReference: string | null;
  orderStatus: string | null;
  /** Whether the order's read model (statuses, events) could be read; gone after deletion, or Redis down. */
  readModel: 'present' | 'gone' | 'unreachable';
  workflows: WorkflowRef[];
  tasks: Array<{ taskId: string; status: string | null; events: TaskEvent[] }>;
  deliveries: Delivery[];
  entries: TimelineEntry[];
}

async function workflowRef(ctx: OpsContext, client: Client, workflowId: string): Promise<WorkflowRef | null> {
  const d = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => null);
  if (!d) return null;
  return {
    workflowId,
    type: d.type,
    status: d.status.name,
    startedAt: d.startTime.toISOString(),
    closedAt: d.closeTime?.toISOString() ?? null,
    url: ctx.workflowUrl(workflowId, d.runId),
  };
}

/** The workflows of an order: the order, its children, and each task's and packaging task's children. */
async function orderWorkflows(client: Client, orderId: string) {
  const orderHistory = await client.workflow.getHandle(ids.order(orderId)).fetchHistory();
  const children = childStarts(orderHistory);
  const nested = await Promise.all(
    children
      .filter((c) => c.type !== WORKFLOW_TYPES.NOTIFICATION_DELIVERY)
      .map(async (c) =>
        childStarts(await client.workflow.getHandle(c.workflowId).fetchHistory()).filter(
          (g) => g.type === WORKFLOW_TYPES.NOTIFICATION_DELIVERY,
        ),
      ),
  );
  return [...children, ...nested.flat()];
}

async function readModel(ctx: OpsContext, merchantId: string | null, orderId: string, taskIds: string[]) {
  if (!merchantId) return { state: 'gone' as const, tasks: [] };
  try {
    const record = await ctx.orders().getOrder(merchantId, orderId);
    if (!record) return { state: 'gone' as const, tasks: [] };
    const all = [...new Set([...Object.keys(record.tasks), ...taskIds])];
    const tasks = await Promise.all(
      all.map(async (taskId) => ({
        taskId,
        status: record.tasks[taskId]?.status ?? null,
        events: (await ctx.orders().getEvents(merchantId, orderId, taskId)) ?? [],
      })),
    );
    return { state: 'present' as const, tasks };
  } catch {
    return { state: 'unreachable' as const, tasks: [] };
  }
}

function entriesOf(t: Omit<Timeline, 'entries'>): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const w of t.workflows) {
    entries.push({ at: w.startedAt, source: 'workflow', subject: w.workflowId, text: `${w.type} started` });
    if (w.closedAt)
      entries.push({ at: w.closedAt, source: 'workflow', subject: w.workflowId, text: `${w.type} ${w.status}` });
  }
  for (const task of t.tasks) {
    for (const e of task.events) {
      entries.push({
        at: e.eventTime,
        source: 'event',
        subject: task.taskId,
        text: `${e.eventType}${e.data ? ` ${e.data}` : ''}`,
      });
    }
  }
  for (const d of t.deliveries) {
    for (const a of d.attempts) {
      const text = `${d.channel} attempt ${a.attempt}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`;
      entries.push({ at: a.at, source: 'delivery', subject: d.deliveryId, text });
    }
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** Everything known about one order, from Temporal (workflows, deliveries) and the read model (statuses, events). */
export async function collectTimeline(ctx: OpsContext, orderId: string): Promise<Timeline> {
  if (!ids.isSafe(orderId)) throw new OpsError(`not an order id: ${orderId}`);
  const client = await ctx.temporal();
  const order = await client.workflow
    .getHandle(ids.order(orderId))
    .describe()
    .catch(() => null);
  if (!order) throw new OpsError(`no order ${orderId}: no workflow ${ids.order(orderId)} in Temporal`);
  const attr = order.typedSearchAttributes;
  const merchantId = attr.get(SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID) ?? null;
  const started = await orderWorkflows(client, orderId);
  const deliveryIds = started.filter((c) => c.type === WORKFLOW_TYPES.NOTIFICATION_DELIVERY).map((c) => c.workflowId);
  const [refs, deliveries] = await Promise.all([
    Promise.all([ids.order(orderId), ...started.map((c) => c.workflowId)].map((id) => workflowRef(ctx, client, id))),
    Promise.all(
      deliveryIds.map(async (id) => [await readDelivery(ctx, client, id), ...(await redrivesOf(ctx, client, id))]),
    ),
  ]);
  const workflows = refs.filter((r): r is WorkflowRef => r !== null);
  const redrives = deliveries.flat().filter((d): d is Delivery => d !== null && d.redriveOf !== null);
  for (const r of redrives) {
    const ref = await workflowRef(ctx, client, r.deliveryId);
    if (ref) workflows.push(ref);
  }
  const taskPrefix = `${ids.order(orderId)}-task-`;
  const taskIds = started
    .filter((c) => c.type === WORKFLOW_TYPES.SIGNING_TASK)
    .map((c) => c.workflowId.slice(taskPrefix.length));
  const model = await readModel(ctx, merchantId, orderId, taskIds);
  const timeline = {
    orderId,
    merchantId,
    clientReference: attr.get(SEARCH_ATTRIBUTE_KEYS.CLIENT_REFERENCE) ?? null,
    orderStatus: attr.get(SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS) ?? null,
    readModel: model.state,
    workflows,
    tasks: model.tasks,
    deliveries: deliveries.flat().filter((d): d is Delivery => d !== null),
  };
  return { ...timeline, entries: entriesOf(timeline) };
}
