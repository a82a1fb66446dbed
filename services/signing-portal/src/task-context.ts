import type { OrderRecord, OrderStore, OrderTaskRecord } from '@esign/order-store';
import type { TaskEvent } from '@esign/temporal-contracts';

/** A task as the merchant defined it (the parts the portal uses), read from the stored order. */
export interface TaskSpec {
  id: string;
  language?: string;
  configuration?: string;
  profile?: string;
  documents: Array<{ id: string; description?: string; action: 'SIGN' | 'VIEW' | 'UPLOAD'; source?: string }>;
  signatureMethods: Array<{
    name?: string;
    type?: 'AUTHENTICATION_BASED' | 'SIGNED_STATEMENT' | 'THIRD_PARTY';
    handwritten?: boolean;
  }>;
  authentication?: { methods?: string[] };
  subject?: { attributes?: Array<{ name: string; value: string; methods?: string[] }> };
  dialog?: { title?: string; message?: string };
  signText?: string;
  onTaskComplete?: string;
  onTaskReject?: string;
  onTaskPostpone?: string;
  dependsOnTasks?: string[];
  notifications?: Array<{ type: string; recipient: string }>;
}

export interface TaskContext {
  record: OrderRecord;
  task: OrderTaskRecord;
  spec: TaskSpec;
  events: TaskEvent[];
}

export type TaskState = 'open' | 'COMPLETED' | 'REJECTED' | 'EXPIRED' | 'DELETED' | 'not-open';

export async function loadTask(
  orders: OrderStore,
  target: { merchantId: string; orderId: string; taskId: string },
): Promise<TaskContext | null> {
  const record = await orders.getOrder(target.merchantId, target.orderId);
  const task = record && Object.hasOwn(record.tasks, target.taskId) ? record.tasks[target.taskId] : undefined;
  if (!record || !task || record.status === 'DELETED') return null;
  const spec = (record.order.tasks as TaskSpec[]).find((t) => t.id === target.taskId);
  if (!spec) return null;
  const events = (await orders.getEvents(target.merchantId, target.orderId, target.taskId)) ?? [];
  return { record, task, spec, events };
}

/** Where the task stands for its signer: open, finished one way or another, or waiting for other signers. */
export function taskState(ctx: TaskContext | null): TaskState {
  if (!ctx) return 'DELETED';
  if (ctx.task.status !== 'CREATED') return ctx.task.status;
  const waiting = (ctx.spec.dependsOnTasks ?? []).some(
    (id) => !Object.hasOwn(ctx.record.tasks, id) || ctx.record.tasks[id]!.status !== 'COMPLETED',
  );
  return waiting ? 'not-open' : 'open';
}

/** The identity methods the signer may use: the signature methods' names, else `authentication.methods`. */
export function methodsOf(spec: TaskSpec): string[] {
  const names = spec.signatureMethods.flatMap((m) => (m.name ? [m.name] : []));
  return [...new Set(names.length ? names : (spec.authentication?.methods ?? []))];
}

export function signatureMethodFor(spec: TaskSpec, method: string) {
  return spec.signatureMethods.find((m) => m.name === method) ?? spec.signatureMethods[0]!;
}

/**
 * Whether the signer must be identified before the task shows a document, takes an upload or a rejection: every task
 * asks for a log-in today (its signing needs one, or its `authentication.methods` do), so the possession of a link
 * alone never shows a signer's documents.
 */
export function requiresLogin(_spec: TaskSpec): boolean {
  return true;
}

/** Whether the session may see the task's documents and act on them beyond identifying. */
export function mayAct(spec: TaskSpec, session: { identity?: unknown }): boolean {
  return !requiresLogin(spec) || session.identity !== undefined;
}

/** Whether each document has been dealt with as its action asks. */
export function documentDone(ctx: TaskContext, documentId: string, viewed: string[]): boolean {
  const doc = ctx.spec.documents.find((d) => d.id === documentId);
  if (!doc) return false;
  if (doc.action === 'VIEW') {
    return (
      viewed.includes(documentId) || ctx.events.some((e) => e.eventType === 'DOCUMENT_VIEWED' && e.data === documentId)
    );
  }
  return !!ctx.task.results?.[documentId];
}

/** `${requestId}` and `${taskId}` in a redirect URL, URL-encoded (contract §5). */
export function redirectTarget(url: string, orderId: string, taskId: string): string {
  return url
    .replaceAll('${requestId}', encodeURIComponent(orderId))
    .replaceAll('${taskId}', encodeURIComponent(taskId));
}
