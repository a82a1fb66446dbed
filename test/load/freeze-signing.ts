// The signer's side of a freeze run: orders made and opened (STARTED) before the freeze are signed one per round
// while it lasts (SIGNED with a seal, as the signing portal sends it), so a frozen sealing or archive worker has work in
// hand. Afterwards every one of them must end signed, with its sealed result readable and a copy in the archive
// (`sendResultToArchive`): a signer whose click was refused tries again, as the portal lets them.
import { dependencyOutage } from '@esign/service-runtime';
import { sendSignerAction } from '@esign/signing-portal';
import type { SignerAction } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import { testSeal } from '../support/tasks.js';
import type { MerchantClient, Probe } from './freeze.js';

const SIGNED = (): SignerAction => ({ type: 'SIGNED', documentId: 'doc1', opened: ['doc1'], seal: testSeal() });

/** The signer opens the task (before the freeze): it waits for the order's task to be there. */
export async function openTask(client: Client, orderId: string): Promise<void> {
  await client.connection.withDeadline(Date.now() + 60_000, () =>
    sendSignerAction(client, orderId, 'signer1', { type: 'STARTED' }, 60_000),
  );
}

/** One signer's click on "sign", timed like a request: 200 signed, 503 when the portal would say "try again". */
export async function signProbe(client: Client, orderId: string): Promise<Probe> {
  const started = Date.now();
  try {
    const result = await sendSignerAction(client, orderId, 'signer1', SIGNED(), 2000);
    return { op: 'sign', status: result.taskStatus === 'COMPLETED' ? 200 : 409, ms: Date.now() - started };
  } catch (err) {
    const ms = Date.now() - started;
    const outage = dependencyOutage(err, 2);
    if (!outage) {
      const e = err as { name?: string; message?: string; cause?: { code?: unknown; message?: string } };
      const cause = e.cause ? ` (cause: ${String(e.cause.code ?? '')} ${e.cause.message ?? ''})` : '';
      return { op: 'sign', status: 500, ms, detail: `${e.name}: ${e.message}${cause}` };
    }
    const retryAfter = String(outage.retryAfterSeconds);
    return { op: 'sign', status: 503, ms, retryAfter, detail: `${outage.dependency ?? 'a dependency'} did not answer` };
  }
}

export interface SignedAfterFreeze {
  /** Orders a signer tried to sign during the freeze. */
  tried: number;
  /** Of those, signed with their result readable (a PDF) and archived (the archived copy readable). */
  complete: number;
  /** What was not, and why. */
  incomplete: string[];
  /** How long after the resume the last one was seen complete (checked every half second from the resume on). */
  lastAfterResumeMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(m: MerchantClient, path: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`${m.api}${path}`, {
    headers: { authorization: m.authorization },
    signal: AbortSignal.timeout(m.clientTimeoutMs),
  });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Where one order stands: complete, or what is still missing. */
async function standing(m: MerchantClient, orderId: string): Promise<'complete' | 'unsigned' | string> {
  const status = await get(m, `/orders/${orderId}/tasks/signer1/status`);
  if (status.status !== 200) return `task status answered ${status.status}`;
  const view = JSON.parse(status.body.toString()) as {
    taskStatus: string;
    documents: Array<{ resultUri?: string; archiveId?: string }>;
  };
  if (view.taskStatus === 'CREATED') return 'unsigned';
  if (view.taskStatus !== 'COMPLETED') return `task ${view.taskStatus}`;
  const doc = view.documents[0];
  if (!doc?.resultUri) return 'no result';
  if (!doc.archiveId) return 'not archived yet';
  const result = await get(m, `/orders/${orderId}/tasks/signer1/documents/doc1/result`);
  if (result.status !== 200 || !result.body.subarray(0, 5).equals(Buffer.from('%PDF-'))) {
    return `result answered ${result.status}`;
  }
  const archived = await get(m, `/archive-documents/${doc.archiveId}`);
  if (archived.status !== 200 || !archived.body.equals(result.body)) return `archive answered ${archived.status}`;
  return 'complete';
}

/** Waits up to `timeoutMs` until every order tried is complete, signing again what a refused click left unsigned. */
export async function awaitSigned(
  m: MerchantClient,
  client: Client,
  orderIds: string[],
  resumedAt: number,
  timeoutMs: number,
): Promise<SignedAfterFreeze> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, number>();
  const last = new Map<string, string>();
  while (done.size < orderIds.length && Date.now() < deadline) {
    for (const orderId of orderIds.filter((id) => !done.has(id))) {
      const now = await standing(m, orderId).catch((err: unknown) => `read failed: ${(err as Error).message}`);
      last.set(orderId, now);
      if (now === 'complete') done.set(orderId, Date.now());
      else if (now === 'unsigned') await signProbe(client, orderId);
    }
    if (done.size < orderIds.length) await sleep(500);
  }
  return {
    tried: orderIds.length,
    complete: done.size,
    incomplete: orderIds.filter((id) => !done.has(id)).map((id) => `order ${id}: ${last.get(id)}`),
    lastAfterResumeMs: Math.max(0, ...[...done.values()].map((at) => at - resumedAt)),
  };
}
