// Freezes one server or worker of a stack (SIGSTOP by pid: what a stalled disk, a long GC pause or a partition looks
// like) while a merchant keeps uploading, creating orders (each with an e-mail and a URL callback) and reading, then
// resumes it (SIGCONT), waits for full service and for every notification. Shared by the bounded-waits test and
// `npm run bench:bounded-waits`; no vitest import.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { freeStackPorts, startStack, type Stack } from '@esign/devstack';
import type { Client } from '@temporalio/client';
import { orderBody } from './freeze-orders.js';
import { openTask, signProbe } from './freeze-signing.js';

/** The servers requests need: Redis, S3, Temporal, and the identity service (token requests; its keys are cached). */
export const FROZEN_SERVERS = ['redis', 'seaweedfs', 'temporal', 'identity'] as const;
export type FrozenServer = (typeof FROZEN_SERVERS)[number];
/** The workers an order goes through: to its first notifications, and (signed) to its sealed and archived result. */
export const FROZEN_WORKERS = ['orchestrator', 'document-storage', 'notification', 'sealing', 'archive'] as const;
/** Everything frozen in turn: the servers requests need, the SMTP server, the workers. */
export const FREEZE_TARGETS = [...FROZEN_SERVERS, 'maildev', ...FROZEN_WORKERS] as const;
export type FreezeTarget = (typeof FREEZE_TARGETS)[number];

/** The name a 503's `detail` gives each server a request needs (SMTP and the workers no request waits for). */
export const DEPENDENCY_OF: Partial<Record<FreezeTarget, string>> = {
  redis: 'Redis',
  seaweedfs: 'S3 storage',
  temporal: 'Temporal',
  identity: 'identity provider',
};

/**
 * A stack of its own (freezing its servers disturbs nobody else) with what uploads and order creations need, on free
 * ports; fresh ports again when one was taken in between by another stack.
 */
export async function startFreezeStack(name: string): Promise<{ stack: Stack; dataDir: string }> {
  for (let attempt = 1; ; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), `esign-${name}-`));
    try {
      const stack = await startStack({
        dataDir,
        ports: await freeStackPorts(),
        s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
        persistentRedis: true,
        services: ['identity', 'gateway', 'orchestrator', 'document-storage', 'notification', 'sealing', 'archive'],
      });
      return { stack, dataDir };
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= 3) throw err;
    }
  }
}

/** The merchant's token request and four API requests, and a signer's open-and-sign through the portal's Update path. */
export type Operation = 'token' | 'upload' | 'create order' | 'read order' | 'read document' | 'sign';

export interface Probe {
  op: Operation;
  /** 0: no answer before the client's own timeout (or the connection failed). */
  status: number;
  retryAfter?: string;
  detail?: string;
  ms: number;
  /** The order or document the 2xx answer named: it must be there after the resume. */
  created?: { kind: 'order' | 'document'; id: string; recipient?: string };
}

export interface FreezeResult {
  server: FreezeTarget;
  probes: Probe[];
  /** From the SIGCONT until a token request, an upload, an order creation and both reads succeeded again. */
  recoveryMs: number;
  /** Orders and documents answered 2xx while frozen that cannot be read after the resume. */
  lost: string[];
  /** When the process was resumed (epoch ms). */
  resumedAt: number;
  /** Every order answered 201 (before, during and after the freeze), with its signer's address. */
  orders: Array<{ id: string; recipient: string }>;
  /** Orders a signer tried to sign during the freeze (made before it). */
  signTried: string[];
}

export interface MerchantClient {
  /** e.g. http://127.0.0.1:PORT/enterprise/sign */
  api: string;
  authorization: string;
  /** How long the client waits for an answer before it gives up. */
  clientTimeoutMs: number;
  /** Where orders' URL callbacks go (a receiver in the probing process). */
  receiverUrl: string;
  /** A client-credentials token request of the merchant (through the gateway's token proxy). */
  requestToken: (signal: AbortSignal) => Promise<Response>;
}

const pdfless = 'Please sign this agreement.';

async function call(m: MerchantClient, method: string, path: string, body?: string, type?: string): Promise<Response> {
  return fetch(`${m.api}${path}`, {
    method,
    headers: { authorization: m.authorization, ...(type ? { 'content-type': type } : {}) },
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(m.clientTimeoutMs),
  });
}

const newRecipient = () => `freeze-${randomBytes(6).toString('hex')}@example.test`;

/** An order creation, with the signer's address kept on the probe. */
async function createOrder(m: MerchantClient, ref: string): Promise<Probe> {
  const recipient = newRecipient();
  const p = await probe(m, 'create order', () =>
    call(m, 'POST', '/orders', orderBody(m, ref, recipient), 'application/json'),
  );
  if (p.created) p.created.recipient = recipient;
  return p;
}

/** One request, timed, with what a 503 said. */
async function probe(m: MerchantClient, op: Operation, send: () => Promise<Response>): Promise<Probe> {
  const started = Date.now();
  try {
    const res = await send();
    const text = await res.text();
    const ms = Date.now() - started;
    const p: Probe = { op, status: res.status, ms };
    if (res.status === 503) {
      p.retryAfter = res.headers.get('retry-after') ?? undefined;
      p.detail = (JSON.parse(text) as { detail?: string }).detail;
    } else if (op === 'token' && res.status === 200) {
      // The merchant goes on with the fresh token (one lasts 10 minutes; a whole bench run takes longer).
      m.authorization = `Bearer ${(JSON.parse(text) as { access_token: string }).access_token}`;
    } else if (res.status === 201) {
      const json = JSON.parse(text) as { documentId?: string; id?: string };
      p.created = json.documentId ? { kind: 'document', id: json.documentId } : { kind: 'order', id: json.id! };
    }
    return p;
  } catch {
    return { op, status: 0, ms: Date.now() - started };
  }
}

/** An upload and an order made before the freeze, for the reads and the creations during it. */
export async function prepare(m: MerchantClient, creations: number, signer?: { client: Client; signs: number }) {
  const uploadId = async () => {
    const res = await call(m, 'POST', '/documents', pdfless, 'text/plain');
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { documentId: string }).documentId;
  };
  const documentId = await uploadId();
  const created = await createOrder(m, await uploadId());
  if (!created.created) throw new Error(`order creation answered ${created.status}`);
  const refs = await Promise.all(Array.from({ length: creations }, uploadId));
  const signable: Probe[] = [];
  for (let i = 0; i < (signer?.signs ?? 0); i++) {
    const order = await createOrder(m, await uploadId());
    if (!order.created) throw new Error(`order creation answered ${order.status}`);
    await openTask(signer!.client, order.created.id);
    signable.push(order);
  }
  return { documentId, orderId: created.created.id, order: created, refs, signable, madeToSign: [...signable] };
}

/** One round: the five operations at once, and a signer signing `toSign` when given. */
function round(
  m: MerchantClient,
  prepared: Awaited<ReturnType<typeof prepare>>,
  ref: string,
  toSign?: { client: Client; orderId: string },
): Promise<Probe[]> {
  return Promise.all([
    ...(toSign ? [signProbe(toSign.client, toSign.orderId)] : []),
    probe(m, 'token', () => m.requestToken(AbortSignal.timeout(m.clientTimeoutMs))),
    probe(m, 'upload', () => call(m, 'POST', '/documents', pdfless, 'text/plain')),
    createOrder(m, ref),
    probe(m, 'read order', () => call(m, 'GET', `/orders/${prepared.orderId}`)),
    probe(m, 'read document', () => call(m, 'GET', `/documents/${prepared.documentId}`)),
  ]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The least time between the starts of two rounds (five requests each). */
const ROUND_SPACING_MS = 500;

/**
 * Freezes `server` for `frozenMs` (at least as long as the rounds take; one round at a time, back to back), resumes
 * it, then waits until a full round succeeds. The server is always resumed, whatever fails.
 */
export async function freezeAndProbe(
  stack: Stack,
  server: FreezeTarget,
  m: MerchantClient,
  opts: { frozenMs: number; rounds: number; signer?: { client: Client; signs: number } },
): Promise<FreezeResult> {
  const prepared = await prepare(m, opts.rounds, opts.signer);
  const signTried: string[] = [];
  const proc = stack.processes.find((p) => p.name === server) ?? stack.services.find((s) => s.name === server)?.process;
  if (!proc) throw new Error(`no ${server} process in the stack`);
  const probes: Probe[] = [];
  const frozenAt = Date.now();
  process.kill(proc.pid, 'SIGSTOP');
  let resumedAt: number;
  try {
    for (let i = 0; i < opts.rounds || Date.now() - frozenAt < opts.frozenMs; i++) {
      const began = Date.now();
      const next = opts.signer && prepared.signable.shift()?.created?.id;
      if (next) signTried.push(next);
      const toSign = next ? { client: opts.signer!.client, orderId: next } : undefined;
      probes.push(...(await round(m, prepared, prepared.refs[i % prepared.refs.length]!, toSign)));
      // Paced as a busy merchant (8 API requests/s), below the gateway's rate limit (1,200 per minute).
      await sleep(Math.max(0, ROUND_SPACING_MS - (Date.now() - began)));
    }
    await sleep(Math.max(0, opts.frozenMs - (Date.now() - frozenAt)));
  } finally {
    process.kill(proc.pid, 'SIGCONT');
    resumedAt = Date.now();
  }
  const recovery: Probe[] = [];
  const recoveryMs = await recover(m, prepared, resumedAt, recovery);
  const orders = [prepared.order, ...signable(prepared), ...probes, ...recovery].flatMap((p) =>
    p.created?.kind === 'order' ? [{ id: p.created.id, recipient: p.created.recipient! }] : [],
  );
  const lost = await lostAfterResume(m, probes);
  return { server, probes, recoveryMs, lost, resumedAt, orders, signTried };
}

async function recover(
  m: MerchantClient,
  prepared: Awaited<ReturnType<typeof prepare>>,
  resumedAt: number,
  seen: Probe[],
) {
  const fresh = await prepareRef(m, resumedAt);
  for (;;) {
    const probes = await round(m, prepared, fresh);
    seen.push(...probes);
    if (probes.every((p) => p.status === 200 || p.status === 201)) return Date.now() - resumedAt;
    if (Date.now() - resumedAt > 120_000) throw new Error(`no full service 120 s after the resume: ${show(probes)}`);
    await sleep(200);
  }
}

/** A fresh upload for the recovery's order creation (retried until uploads work again). */
async function prepareRef(m: MerchantClient, since: number): Promise<string> {
  for (;;) {
    const p = await probe(m, 'upload', () => call(m, 'POST', '/documents', pdfless, 'text/plain'));
    if (p.created) return p.created.id;
    if (Date.now() - since > 120_000) throw new Error(`uploads still failing 120 s after the resume: ${p.status}`);
    await sleep(200);
  }
}

async function lostAfterResume(m: MerchantClient, probes: Probe[]): Promise<string[]> {
  const lost: string[] = [];
  for (const { created } of probes) {
    if (!created) continue;
    const res = await call(m, 'GET', created.kind === 'order' ? `/orders/${created.id}` : `/documents/${created.id}`);
    await res.arrayBuffer();
    if (res.status !== 200) lost.push(`${created.kind} ${created.id}: ${res.status}`);
  }
  return lost;
}

const show = (probes: Probe[]) => probes.map((p) => `${p.op} ${p.status}`).join(', ');

/** The orders made to be signed (those signed during the freeze and those left over). */
const signable = (prepared: Awaited<ReturnType<typeof prepare>>) => prepared.madeToSign;
