// Freezes one server of a stack (SIGSTOP by pid: what a stalled disk, a long GC pause or a partition looks like) while
// a merchant keeps uploading, creating orders and reading, then resumes it (SIGCONT) and waits for full service.
// Shared by the bounded-waits test and `npm run bench:bounded-waits`; no vitest import.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { freeStackPorts, startStack, type Stack } from '@esign/devstack';

export const FROZEN_SERVERS = ['redis', 'seaweedfs', 'temporal'] as const;
export type FrozenServer = (typeof FROZEN_SERVERS)[number];

/** The name a 503's `detail` gives each server. */
export const DEPENDENCY_OF: Record<FrozenServer, string> = {
  redis: 'Redis',
  seaweedfs: 'S3 storage',
  temporal: 'Temporal',
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
        services: ['identity', 'gateway', 'orchestrator', 'document-storage'],
      });
      return { stack, dataDir };
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= 3) throw err;
    }
  }
}

export type Operation = 'upload' | 'create order' | 'read order' | 'read document';

export interface Probe {
  op: Operation;
  /** 0: no answer before the client's own timeout (or the connection failed). */
  status: number;
  retryAfter?: string;
  detail?: string;
  ms: number;
  /** The order or document the 2xx answer named: it must be there after the resume. */
  created?: { kind: 'order' | 'document'; id: string };
}

export interface FreezeResult {
  server: FrozenServer;
  probes: Probe[];
  /** From the SIGCONT until an upload, an order creation and both reads succeeded again. */
  recoveryMs: number;
  /** Orders and documents answered 2xx while frozen that cannot be read after the resume. */
  lost: string[];
}

export interface MerchantClient {
  /** e.g. http://127.0.0.1:PORT/enterprise/sign */
  api: string;
  authorization: string;
  /** How long the client waits for an answer before it gives up. */
  clientTimeoutMs: number;
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

export const orderBody = (documentRef: string) =>
  JSON.stringify({
    clientReference: 'bounded-waits',
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      },
    ],
  });

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
export async function prepare(m: MerchantClient, creations: number) {
  const uploadId = async () => {
    const res = await call(m, 'POST', '/documents', pdfless, 'text/plain');
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { documentId: string }).documentId;
  };
  const documentId = await uploadId();
  const res = await call(m, 'POST', '/orders', orderBody(await uploadId()), 'application/json');
  if (res.status !== 201) throw new Error(`order creation answered ${res.status}: ${await res.text()}`);
  const orderId = ((await res.json()) as { id: string }).id;
  const refs = await Promise.all(Array.from({ length: creations }, uploadId));
  return { documentId, orderId, refs };
}

/** One round: the four operations at once. */
function round(m: MerchantClient, prepared: Awaited<ReturnType<typeof prepare>>, ref: string): Promise<Probe[]> {
  return Promise.all([
    probe(m, 'upload', () => call(m, 'POST', '/documents', pdfless, 'text/plain')),
    probe(m, 'create order', () => call(m, 'POST', '/orders', orderBody(ref), 'application/json')),
    probe(m, 'read order', () => call(m, 'GET', `/orders/${prepared.orderId}`)),
    probe(m, 'read document', () => call(m, 'GET', `/documents/${prepared.documentId}`)),
  ]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Freezes `server` for `frozenMs` (at least as long as the rounds take; one round at a time, back to back), resumes
 * it, then waits until a full round succeeds. The server is always resumed, whatever fails.
 */
export async function freezeAndProbe(
  stack: Stack,
  server: FrozenServer,
  m: MerchantClient,
  opts: { frozenMs: number; rounds: number },
): Promise<FreezeResult> {
  const prepared = await prepare(m, opts.rounds);
  const proc = stack.processes.find((p) => p.name === server);
  if (!proc) throw new Error(`no ${server} process in the stack`);
  const probes: Probe[] = [];
  const frozenAt = Date.now();
  process.kill(proc.pid, 'SIGSTOP');
  let resumedAt: number;
  try {
    for (let i = 0; i < opts.rounds || Date.now() - frozenAt < opts.frozenMs; i++) {
      probes.push(...(await round(m, prepared, prepared.refs[i % prepared.refs.length]!)));
    }
    await sleep(Math.max(0, opts.frozenMs - (Date.now() - frozenAt)));
  } finally {
    process.kill(proc.pid, 'SIGCONT');
    resumedAt = Date.now();
  }
  const recoveryMs = await recover(m, prepared, resumedAt);
  return { server, probes, recoveryMs, lost: await lostAfterResume(m, probes) };
}

async function recover(m: MerchantClient, prepared: Awaited<ReturnType<typeof prepare>>, resumedAt: number) {
  const fresh = await prepareRef(m, resumedAt);
  for (;;) {
    const probes = await round(m, prepared, fresh);
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
