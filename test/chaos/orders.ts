// The load of the chaos run: orders created through the gateway (upload, then creation with an Idempotency-Key),
// and signers driven through the portal's Update path (the `signerAction` Updates the signing portal sends), each
// order to one of three ends. Every step retries what a real client or the portal would retry, and records what
// it saw, so the checks afterwards can tell a fault the system absorbed from one it did not.
import { createHash, randomBytes } from 'node:crypto';
import {
  ERROR_TYPES,
  ids,
  TASK_EVENT_TYPES,
  type SignerAction,
  type SignerActionResult,
  type TaskEvent,
  type TaskStatus,
} from '@esign/temporal-contracts';
import { ApplicationFailure, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { signerAction, testSeal } from '../support/tasks.js';
import type { MerchantApi } from './http.js';
import type { UrlReceiver } from './receiver.js';

/** How an order ends: signed (task and order COMPLETED), rejected (task REJECTED), or deleted by the merchant. */
export type OrderKind = 'sign' | 'reject' | 'cancel';

/** Half signed, a quarter rejected, a quarter cancelled, interleaved. */
export const kindOf = (index: number): OrderKind => (['sign', 'reject', 'sign', 'cancel'] as const)[index % 4]!;

export const TASK_ID = 'signer1';
export const DOCUMENT_ID = 'doc1';

export interface OrderRun {
  index: number;
  kind: OrderKind;
  clientReference: string;
  idempotencyKey: string;
  /** The signer's e-mail address, unique to the order. */
  recipient: string;
  pdf: Buffer;
  sha256: string;
  /** Every upload id answered 201 (more than one when an answer was lost and the upload repeated). */
  uploads: string[];
  documentRef?: string;
  /** The order id of every 201 to the creation and its retries: one id, however often it was answered. */
  createdIds: string[];
  orderId?: string;
  /** Signer Updates repeated after a failure (connection lost, server restarting, worker down). */
  actionRetries: number;
  /** Signer Updates the workflow answered with a failure (not a refusal), each then repeated as a signer would. */
  actionsFailed: string[];
  /** A cancelled order's task events, read just before the deletion (afterwards they are gone). */
  eventsBeforeDelete?: TaskEvent[];
  /** Set when the order could not be driven to its end. */
  error?: string;
  done: boolean;
}

export interface ExpectedDelivery {
  /** The delivery id: the notificationDelivery workflow id, `X-Sign-Delivery-Id` of URL callbacks. */
  id: string;
  channel: 'URL' | 'EMAIL';
  order: OrderRun;
  /** The data of the NOTIFICATION_SENT (or ERROR) event the delivery records on the task. */
  event: string;
}

export interface LoadContext {
  api: MerchantApi;
  temporal: Client;
  receiver: UrlReceiver;
  runId: string;
  /** Told about every retry of a step (which step, and why), so the run can say what each fault hit. */
  hit: (what: string, why: string) => void;
  /** How long one step keeps retrying. */
  patienceMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real PDF with a page of text and random bytes (so every original is unique and a round trip must be exact). */
async function makePdf(label: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(`Chaos agreement ${label}`, { x: 50, y: 700, font, size: 18 });
  await doc.attach(randomBytes(2048), 'payload.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export async function planOrder(runId: string, index: number): Promise<OrderRun> {
  const pdf = await makePdf(`${runId}-${index}`);
  return {
    index,
    kind: kindOf(index),
    clientReference: `chaos-${runId}-${index}`,
    idempotencyKey: `chaos-${runId}-${index}`,
    recipient: `signer-${runId}-${index}@example.test`,
    pdf,
    sha256: sha256(pdf),
    uploads: [],
    createdIds: [],
    actionRetries: 0,
    actionsFailed: [],
    done: false,
  };
}

// The task's notifications: an invitation e-mail, a URL callback on every status, an e-mail when the task ends.
const HOOK_TRIGGERS = ['CREATED', 'STARTED', 'COMPLETED', 'REJECTED'] as const;
const OUTCOME_TRIGGERS = ['COMPLETED', 'REJECTED'] as const;

function orderBody(run: OrderRun, documentRef: string, receiverUrl: string) {
  const mail = (id: string, header: string, triggers: readonly string[]) => ({
    id,
    type: 'EMAIL',
    recipient: run.recipient,
    header,
    message: 'Order ${orderId} (${clientRef}): ${taskUrl}',
    schedule: triggers.map((triggerStatus) => ({ triggerStatus })),
  });
  return {
    clientReference: run.clientReference,
    tasks: [
      {
        id: TASK_ID,
        documents: [{ id: DOCUMENT_ID, action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        notifications: [
          mail('invite', 'Please sign ${clientRef}', ['CREATED']),
          {
            id: 'hook',
            type: 'URL',
            recipient: `${receiverUrl}/task`,
            message: 'task ${orderId}',
            schedule: HOOK_TRIGGERS.map((triggerStatus) => ({ triggerStatus })),
          },
          mail('outcome', 'Your signing task ${clientRef} ended', OUTCOME_TRIGGERS),
        ],
      },
    ],
    notifications: [
      { id: 'order-hook', type: 'URL', recipient: `${receiverUrl}/order`, message: 'order ${orderId} completed' },
      {
        id: 'order-mail',
        type: 'EMAIL',
        recipient: run.recipient,
        header: 'Order ${clientRef} completed',
        message: 'Every task of order ${orderId} is done.',
      },
    ],
  };
}

/** The deliveries an order must have had exactly once by the end, given how it ended. */
export function expectedDeliveries(run: OrderRun): ExpectedDelivery[] {
  if (!run.orderId) return [];
  const orderId = run.orderId;
  const task = (channel: 'URL' | 'EMAIL', id: string, triggers: readonly string[], trigger: string) => {
    const i = triggers.indexOf(trigger);
    return {
      id: ids.notification(orderId, { taskId: TASK_ID }, id, `${trigger}-${i}`),
      channel,
      order: run,
      event: `${channel} notification ${id} (${trigger})`,
    };
  };
  const opened = [
    task('EMAIL', 'invite', ['CREATED'], 'CREATED'),
    task('URL', 'hook', HOOK_TRIGGERS, 'CREATED'),
    task('URL', 'hook', HOOK_TRIGGERS, 'STARTED'),
  ];
  switch (run.kind) {
    case 'cancel':
      return opened;
    case 'reject':
      return [
        ...opened,
        task('URL', 'hook', HOOK_TRIGGERS, 'REJECTED'),
        task('EMAIL', 'outcome', OUTCOME_TRIGGERS, 'REJECTED'),
      ];
    case 'sign':
      return [
        ...opened,
        task('URL', 'hook', HOOK_TRIGGERS, 'COMPLETED'),
        task('EMAIL', 'outcome', OUTCOME_TRIGGERS, 'COMPLETED'),
        {
          id: ids.notification(orderId, {}, 'order-hook'),
          channel: 'URL',
          order: run,
          event: 'URL notification order-hook',
        },
        {
          id: ids.notification(orderId, {}, 'order-mail'),
          channel: 'EMAIL',
          order: run,
          event: 'EMAIL notification order-mail',
        },
      ];
  }
}

/** An action the task refused as invalid, or for a document it does not know: repeating cannot help. */
const refusedForGood = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError &&
  err.cause instanceof ApplicationFailure &&
  (err.cause.type === ERROR_TYPES.VALIDATION || err.cause.type === ERROR_TYPES.NOT_FOUND);

const errorName = (err: unknown) => (err instanceof Error ? err.name : 'error');

/** The innermost message of a failure chain. */
function causeOf(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

const isConflict = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError &&
  err.cause instanceof ApplicationFailure &&
  err.cause.type === ERROR_TYPES.CONFLICT;

/** The task's events as the merchant reads them. */
export async function taskEvents(api: MerchantApi, orderId: string): Promise<TaskEvent[]> {
  const res = await api.call('GET', `/orders/${orderId}/tasks/${TASK_ID}/events`);
  if (res.status !== 200) throw new Error(`events of order ${orderId} answered ${res.status}`);
  return JSON.parse(res.body.toString()) as TaskEvent[];
}

/** The task's status as the merchant reads it. */
async function taskStatus(ctx: LoadContext, run: OrderRun): Promise<string> {
  const res = await ctx.api.call('GET', `/orders/${run.orderId}/tasks/${TASK_ID}/status`);
  if (res.status !== 200) return `unreadable (HTTP ${res.status})`;
  return (JSON.parse(res.body.toString()) as { taskStatus: string }).taskStatus;
}

/**
 * A signer action as the portal sends it, repeated while it fails for a reason that says nothing about the action
 * (Temporal restarting, the worker down, the task workflow not started yet). A repeat that finds the task already
 * where the action leads (its first attempt went through, the answer was lost) counts as done.
 */
async function act(ctx: LoadContext, run: OrderRun, action: SignerAction, leadsTo: TaskStatus): Promise<void> {
  const deadline = Date.now() + ctx.patienceMs;
  for (let attempt = 0; ; attempt++) {
    let result: SignerActionResult;
    try {
      result = await signerAction(ctx.temporal, run.orderId!, TASK_ID, action);
    } catch (err) {
      if (isConflict(err)) {
        const status = await taskStatus(ctx, run);
        if (status === leadsTo) return;
        throw new Error(`${action.type}: refused as a conflict while the task is ${status}`, { cause: err });
      }
      if (Date.now() > deadline || refusedForGood(err)) throw err;
      // The workflow answered with a failure (sealing gave up while S3 was down, say): the portal shows it, and the
      // signer tries again.
      if (err instanceof WorkflowUpdateFailedError) run.actionsFailed.push(`${action.type}: ${causeOf(err)}`);
      run.actionRetries++;
      ctx.hit(
        `signer ${action.type}`,
        err instanceof WorkflowUpdateFailedError ? 'failed by the workflow' : errorName(err),
      );
      await sleep(Math.min(2000, 200 * 2 ** Math.min(attempt, 4)));
      continue;
    }
    if (result.taskStatus !== leadsTo) throw new Error(`${action.type} answered ${result.taskStatus}`);
    return;
  }
}

async function upload(ctx: LoadContext, run: OrderRun): Promise<string> {
  const res = await ctx.api.call('POST', '/documents', {
    body: run.pdf,
    headers: { 'content-type': 'application/pdf' },
  });
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body.toString()}`);
  const { documentId } = JSON.parse(res.body.toString()) as { documentId: string };
  run.uploads.push(documentId);
  return documentId;
}

async function create(ctx: LoadContext, run: OrderRun): Promise<string> {
  const body = JSON.stringify(orderBody(run, run.documentRef!, ctx.receiver.url));
  const headers = { 'content-type': 'application/json', 'idempotency-key': run.idempotencyKey };
  const res = await ctx.api.call('POST', '/orders', { body, headers });
  if (res.status !== 201) throw new Error(`order creation answered ${res.status}: ${res.body.toString()}`);
  const { id } = JSON.parse(res.body.toString()) as { id: string };
  run.createdIds.push(id);
  return id;
}

/** Whether a task event is the recorded outcome of a delivery: NOTIFICATION_SENT, or ERROR saying why not. */
export const recordsOutcome = (e: TaskEvent, d: ExpectedDelivery) =>
  (e.eventType === TASK_EVENT_TYPES.NOTIFICATION_SENT && e.data === d.event) ||
  (e.eventType === TASK_EVENT_TYPES.ERROR && e.data?.startsWith(`${d.event}:`) === true);

/** Drives one order from upload to its end. Errors are recorded on the run, not thrown. */
export async function driveOrder(ctx: LoadContext, run: OrderRun): Promise<void> {
  try {
    run.documentRef = await upload(ctx, run);
    run.orderId = await create(ctx, run);
    // A retried creation (the gateway died, or answered 5xx) must land on the same order: a second 201 is compared.
    if (run.index % 5 === 0) {
      const again = await create(ctx, run);
      if (again !== run.orderId) throw new Error(`the same Idempotency-Key created a second order ${again}`);
    }
    await act(ctx, run, { type: 'STARTED' }, 'CREATED');
    if (run.kind === 'sign') {
      const signed: SignerAction = { type: 'SIGNED', documentId: DOCUMENT_ID, opened: [DOCUMENT_ID], seal: testSeal() };
      await act(ctx, run, signed, 'COMPLETED');
    } else if (run.kind === 'reject') {
      await act(ctx, run, { type: 'REJECTED', reason: 'chaos says no' }, 'REJECTED');
    } else {
      // Deleted once the notifications of an open task have gone out and recorded their outcome on the task, so
      // what it must have received is known (and its events, gone with it, were read just before).
      const deadline = Date.now() + ctx.patienceMs;
      const expected = expectedDeliveries(run);
      for (;;) {
        run.eventsBeforeDelete = await taskEvents(ctx.api, run.orderId);
        const events = run.eventsBeforeDelete;
        if (expected.every((d) => events.some((e) => recordsOutcome(e, d))) || Date.now() > deadline) break;
        await sleep(500);
      }
      const res = await ctx.api.call('DELETE', `/orders/${run.orderId}`);
      // 404: an earlier attempt whose answer was lost deleted it (checked afterwards like any deletion).
      if (res.status !== 204 && res.status !== 404) throw new Error(`DELETE answered ${res.status}`);
    }
    run.done = true;
  } catch (err) {
    run.error = err instanceof Error ? err.message : String(err);
  }
}
