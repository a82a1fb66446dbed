// The load of the chaos run: orders created through the gateway (upload, then creation with an Idempotency-Key),
// and signers driven through the portal's Update path (the `signerAction` Updates the signing portal sends), each
// order to one of three ends. Every step retries what a real client or the portal would retry, and records what
// it saw, so the checks afterwards can tell a fault the system absorbed from one it did not.
import type { SignerAction, TaskEvent } from '@esign/temporal-contracts';
import { testSeal } from '../support/tasks.js';
import { expectedDeliveries, orderBody, recordsOutcome } from './deliveries.js';
import type { MerchantApi } from './http.js';
import { DOCUMENT_ID, TASK_ID, type LoadContext, type OrderRun } from './order-run.js';
import { act } from './signer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The task's events as the merchant reads them. */
export async function taskEvents(api: MerchantApi, orderId: string): Promise<TaskEvent[]> {
  const res = await api.call('GET', `/orders/${orderId}/tasks/${TASK_ID}/events`);
  if (res.status !== 200) throw new Error(`events of order ${orderId} answered ${res.status}`);
  return JSON.parse(res.body.toString()) as TaskEvent[];
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
