// The merchant's side of the benchmarks: one uploaded document, one-signer orders over it, task status reads, and the
// signer's side as the portal sends it (the task workflow's Update).
import { sendSignerAction } from '@esign/signing-portal';
import { ids, type SignerAction, type SignerActionResult } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import { testSeal } from '../support/tasks.js';
import { benchFetch, type BenchStack } from './bench-stack.js';

export const TASK_ID = 'signer1';
export const DOCUMENT_ID = 'doc1';
const POLL_MS = 20;
const TASK_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/**
 * POST /orders with a JSON body; the new order's id. Waits as told on a 429 (a run of many orders may pass the
 * per-merchant rate limit, like a well-behaved client would).
 */
export async function postOrder(bench: Pick<BenchStack, 'api' | 'auth'>, body: string): Promise<string> {
  for (;;) {
    const res = await benchFetch(`${bench.api}/orders`, {
      method: 'POST',
      headers: { ...bench.auth, 'content-type': 'application/json' },
      body,
    });
    if (res.status === 429) {
      await res.arrayBuffer();
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    if (res.status !== 201) throw new Error(`order creation answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }
}

export interface Orders {
  /** The document every order of this helper signs (uploaded once, as text). */
  documentRef: string;
  /** POST /orders, one signer with one document; the order's id. Waits as told on a 429. */
  create(): Promise<string>;
  /** GET /orders/{id}/tasks/signer1/status: the answer's body. */
  taskStatus(orderId: string): Promise<{ taskStatus: string } & Record<string, unknown>>;
  /** The signer opens the task and signs its document through the Update path; the SIGNED Update's answer. */
  sign(orderId: string): Promise<SignerActionResult>;
  /** Polls the task status every 20 ms until COMPLETED; fails on another end status or after `timeoutMs`. */
  untilCompleted(orderId: string, timeoutMs?: number): Promise<void>;
  /** Workflow ids of the order and its task child. */
  workflowIds(orderId: string): { order: string; task: string };
}

/**
 * `seal`: send a seal request with SIGNED, as the signing portal does after an identified signer clicks Sign (the
 * task then seals the document in an activity); without it, the bare SIGNED action the order tests send.
 */
export async function benchOrders(bench: BenchStack, temporal: Client, opts: { seal?: boolean } = {}): Promise<Orders> {
  const { api, auth } = bench;
  const upload = await benchFetch(`${api}/documents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: 'Benchmark agreement',
  });
  if (upload.status !== 201) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
  const { documentId: documentRef } = (await upload.json()) as { documentId: string };
  const body = JSON.stringify({
    clientReference: 'bench',
    tasks: [
      {
        id: TASK_ID,
        documents: [{ id: DOCUMENT_ID, action: 'SIGN', source: 'SESSION', documentRef }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      },
    ],
  });
  const taskStatus = async (orderId: string) => {
    const res = await benchFetch(`${api}/orders/${orderId}/tasks/${TASK_ID}/status`, { headers: auth });
    if (res.status !== 200) throw new Error(`task status answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { taskStatus: string } & Record<string, unknown>;
  };
  return {
    documentRef,
    create: () => postOrder(bench, body),
    taskStatus,
    async sign(orderId) {
      const actions: SignerAction[] = [
        { type: 'STARTED' },
        { type: 'SIGNED', documentId: DOCUMENT_ID, opened: [DOCUMENT_ID], ...(opts.seal ? { seal: testSeal() } : {}) },
      ];
      let result: SignerActionResult | undefined;
      // The portal's call (test/support/tasks.ts `signerAction`), waiting longer for the task workflow to exist: on
      // a loaded machine its start may trail the order's creation by more than the default 10 s.
      for (const action of actions) result = await sendSignerAction(temporal, orderId, TASK_ID, action, TASK_WAIT_MS);
      return result!;
    },
    async untilCompleted(orderId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { taskStatus: status } = await taskStatus(orderId);
        if (status === 'COMPLETED') return;
        if (status !== 'CREATED') throw new Error(`order ${orderId}: task ${TASK_ID} is ${status}, not COMPLETED`);
        if (Date.now() > deadline) throw new Error(`order ${orderId}: task not COMPLETED after ${timeoutMs} ms`);
        await sleep(POLL_MS);
      }
    },
    workflowIds: (orderId) => ({ order: ids.order(orderId), task: ids.task(orderId, TASK_ID) }),
  };
}
