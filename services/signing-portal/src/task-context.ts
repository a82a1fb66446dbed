import type { Task } from '@esign/contracts';
import { own, TASK_EVENT_TYPES, unopenedDocuments, type TaskEvent } from '@esign/temporal-contracts';
import type { OrderReader, OrderRecord, OrderTaskRecord } from '@esign/order-store';
import type { PortalSession } from './session.js';

/** A task as the merchant defined it (the contract's model, defaults applied), read from the stored order. */
export type TaskSpec = Task;

export interface TaskContext {
  record: OrderRecord;
  task: OrderTaskRecord;
  spec: TaskSpec;
  events: TaskEvent[];
}

export type TaskState = 'open' | 'COMPLETED' | 'REJECTED' | 'EXPIRED' | 'DELETED' | 'not-open' | 'forwarded';

/** The task as its signer may see it (the read model, or right after creation the creation's reservation). */
export async function loadTask(
  reader: OrderReader,
  target: { merchantId: string; orderId: string; taskId: string },
): Promise<TaskContext | null> {
  const record = await reader.order(target.merchantId, target.orderId);
  const task = record ? own(record.tasks, target.taskId) : undefined;
  if (!record || !task || record.status === 'DELETED') return null;
  const spec = record.order.tasks.find((t) => t.id === target.taskId);
  if (!spec) return null;
  const events = (await reader.events(target.merchantId, target.orderId, target.taskId)) ?? [];
  return { record, task, spec, events };
}

/** How often the task was forwarded: the signer it belongs to now is the one of the latest forward (0: the first). */
export const forwardsOf = (ctx: TaskContext) => ctx.task.forwards?.length ?? 0;

/**
 * Where the task stands for its signer: open, finished one way or another, waiting for other signers, or — for a
 * session begun before the task's latest forward — forwarded away from them.
 */
export function taskState(ctx: TaskContext | null, session?: { holder?: number }): TaskState {
  if (!ctx) return 'DELETED';
  if (session && (session.holder ?? 0) !== forwardsOf(ctx)) return 'forwarded';
  if (ctx.task.status !== 'CREATED') return ctx.task.status;
  const waiting = (ctx.spec.dependsOnTasks ?? []).some((id) => own(ctx.record.tasks, id)?.status !== 'COMPLETED');
  return waiting ? 'not-open' : 'open';
}

/**
 * The order's `subject` and the addresses a one-time code may go to, for whoever holds the task now. Before any
 * forward: the order's subject and the task's notification recipients. After one: the addresses the forwarder gave
 * for the new signer, and the subject only when the task's configuration keeps it (`forwardSubject`).
 */
export function holderOf(
  ctx: TaskContext,
  forwardSubject: 'keep' | 'drop',
): { subject: TaskSpec['subject']; notifications: Array<{ type: string; recipient: string }> | undefined } {
  const last = ctx.task.forwards?.at(-1);
  if (!last) return { subject: ctx.spec.subject, notifications: ctx.spec.notifications };
  return {
    subject: forwardSubject === 'keep' ? ctx.spec.subject : undefined,
    notifications: [
      ...(last.recipientEmail ? [{ type: 'EMAIL', recipient: last.recipientEmail }] : []),
      ...(last.recipientMobile ? [{ type: 'SMS', recipient: last.recipientMobile }] : []),
    ],
  };
}

/** The identity methods the signer may use: the signature methods' names, else `authentication.methods`. */
export function methodsOf(spec: TaskSpec): string[] {
  const names = signatureMethodNames(spec);
  return names.length ? names : authenticationMethodsOf(spec);
}

const signatureMethodNames = (spec: TaskSpec) => [
  ...new Set(spec.signatureMethods.flatMap((m) => (m.name ? [m.name] : []))),
];

/** `authentication.methods`: the log-in the task asks for before it shows its documents. */
export const authenticationMethodsOf = (spec: TaskSpec): string[] => [...new Set(spec.authentication?.methods ?? [])];

/** Whether the task has a document to sign (its signer must identify with a signature method for it). */
export const hasDocumentToSign = (spec: TaskSpec) => spec.documents.some((d) => d.action === 'SIGN');

/**
 * The log-in this session has next, and its methods: first the task's authentication (`authentication.methods`,
 * before the documents), then identifying to sign (a document to sign, the signature methods). With no signature
 * method named, the authentication methods serve both and one log-in does.
 */
export function nextLogin(
  spec: TaskSpec,
  session: Pick<PortalSession, 'identity' | 'authenticated'>,
): { step: 'authentication' | 'signing'; methods: string[] } | undefined {
  const authentication = authenticationMethodsOf(spec);
  if (authentication.length > 0 && !session.authenticated && !session.identity) {
    return { step: 'authentication', methods: authentication };
  }
  if (hasDocumentToSign(spec) && !session.identity) return { step: 'signing', methods: methodsOf(spec) };
  return undefined;
}

/** Whether a log-in for the authentication step identifies the signer to sign too (no signature method is named). */
export const authenticationSigns = (spec: TaskSpec) => signatureMethodNames(spec).length === 0;

export function signatureMethodFor(spec: TaskSpec, method: string) {
  return spec.signatureMethods.find((m) => m.name === method) ?? spec.signatureMethods[0]!;
}

/**
 * Whether the session may see the task's documents and act on them beyond identifying (a document, an upload, a
 * rejection): once authenticated where the task names `authentication.methods` (a log-in with one of them, or the
 * merchant's artifact), else once identified where it has a document to sign, else at once — a task that only shows
 * (or collects) documents and names no authentication opens with the link or sign code alone (contract §7: a task
 * *may* require a log-in).
 */
export function mayAct(spec: TaskSpec, session: Pick<PortalSession, 'identity' | 'authenticated'>): boolean {
  if (authenticationMethodsOf(spec).length > 0) return !!session.authenticated || !!session.identity;
  return !hasDocumentToSign(spec) || !!session.identity;
}

/** Whether the signer opened the document: in this session, or recorded (DOCUMENT_VIEWED) before. */
export function documentOpened(ctx: TaskContext, documentId: string, viewed: string[]): boolean {
  return (
    viewed.includes(documentId) ||
    ctx.events.some((e) => e.eventType === TASK_EVENT_TYPES.VIEWED && e.data === documentId)
  );
}

/** Whether each document has been dealt with as its action asks (a VIEW document: opened). */
export function documentDone(ctx: TaskContext, documentId: string, viewed: string[]): boolean {
  const doc = ctx.spec.documents.find((d) => d.id === documentId);
  if (!doc) return false;
  if (doc.action === 'VIEW') return documentOpened(ctx, documentId, viewed);
  return !!own(ctx.task.results, documentId);
}

/**
 * What keeps the signer from signing, in the task's order: documents not opened yet (the opening rule the task
 * workflow enforces too, `unopenedDocuments`), and UPLOAD documents not uploaded yet.
 */
export function documentsMissing(ctx: TaskContext, viewed: string[]): string[] {
  const actions = documentActionsOf(ctx.spec);
  const opened = ctx.spec.documents.filter((d) => documentOpened(ctx, d.id, viewed)).map((d) => d.id);
  const unopened = new Set(unopenedDocuments(actions, opened));
  return ctx.spec.documents
    .filter((d) => unopened.has(d.id) || (d.action === 'UPLOAD' && !documentDone(ctx, d.id, viewed)))
    .map((d) => d.id);
}

/** Each document's action, by id (what the task workflow got as `documentActions`). */
export const documentActionsOf = (spec: TaskSpec) => Object.fromEntries(spec.documents.map((d) => [d.id, d.action]));

/** `${requestId}` and `${taskId}` in a redirect URL, URL-encoded (contract §5). */
export function redirectTarget(url: string, orderId: string, taskId: string): string {
  return url
    .replaceAll('${requestId}', encodeURIComponent(orderId))
    .replaceAll('${taskId}', encodeURIComponent(taskId));
}
