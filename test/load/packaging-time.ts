// Benchmark (not a test): packaging time of a PAdES package for 2, 5 and 20 signers on the whole stack. Per size, an
// order with N one-document tasks (a small text document each, uploaded through the gateway) and one packaging task
// naming all N; every task signed through the task workflow's Update path with a seal request (as the portal does),
// 4 at a time; then from the moment the last SIGNED Update returned until the packaging status API says COMPLETED
// (polled every 20 ms). The parts come from the packaging child workflow's history. Raw baseline in the same run,
// alternating with the orders: what `packageDocuments` does without Temporal, S3 or Redis — `textToPdf` of the same
// N texts, pdf-lib merge, `sealPdfForSigners` with N signers and the stack's own signing identity — in-process. One
// package and one raw result per size are checked (N signatures at B-LTA, intact to pdfsig, in signer order).
// Run: node --import tsx test/load/packaging-time.ts [rounds]
import { SERVICES, type ServiceName } from '@esign/devstack';
import {
  loadSigningIdentity,
  padesLevels,
  readSignatureDictionaries,
  sealPdfForSigners,
  textToPdf,
  verifyWithPdfsig,
  type SignerSeal,
  type SigningIdentity,
} from '@esign/pdf-signing';
import { ids, type SealRequest } from '@esign/temporal-contracts';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { PDFDocument } from 'pdf-lib';
import { signerAction } from '../support/tasks.js';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { alternate, median, table } from './measure.js';

const ROUNDS = Math.max(3, Number(process.argv[2] ?? 3));
const SIZES = [2, 5, 20];
const POLL_MS = 20;
const SIGN_CONCURRENCY = 4;
const PKG = 'pkg1';

const documentText = (n: number, i: number) =>
  `Agreement part ${i} of ${n}\n\nThe parties agree to the terms set out in part ${i}.\nSigned by signer ${i}.`;
const signerName = (i: number) => `Signer ${i} Nordmann`;
const sealRequest = (i: number): SealRequest => ({
  signatureType: 'AUTHENTICATION_BASED',
  evidence: {
    signerName: signerName(i),
    method: 'nbid-sign',
    authenticatedAt: new Date().toISOString(),
    claims: { national_id: `0101701${String(i).padStart(4, '0')}`, name: signerName(i) },
    ip: '127.0.0.1',
    userAgent: 'packaging benchmark',
  },
});

const msCell = (v: number) => `${v.toFixed(v >= 100 ? 0 : 1)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];
/** Epoch ms of a Temporal history event. */
const msOf = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** The packaging child's history: when it started, and its `packageDocuments` activity (epoch ms). */
function packagingParts(events: HistoryEvent[]) {
  const scheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'packageDocuments',
  );
  const id = Number(scheduled?.eventId);
  const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
  const completed = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
  if (!events[0] || !scheduled || !started || !completed) throw new Error('no completed packageDocuments activity');
  return { workflowStarted: msOf(events[0]), activityStarted: msOf(started), activityDone: msOf(completed) };
}

/** Runs `jobs` with at most `limit` at once. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

/** What `packageDocuments` does, in-process and without I/O: render, merge, seal once per signer (ms of each part). */
async function rawPackage(
  n: number,
  identity: SigningIdentity,
): Promise<{ pdf: Buffer; render: number; seal: number }> {
  const started = performance.now();
  const merged = await PDFDocument.create();
  const signers: SignerSeal[] = [];
  for (let i = 1; i <= n; i++) {
    const source = await PDFDocument.load(await textToPdf(documentText(n, i)));
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
    const signedAt = new Date().toISOString();
    const signer = { ...sealRequest(i).evidence, signedAt };
    signers.push({
      signer: { name: signer.signerName, method: signer.method, time: new Date(signedAt) },
      evidence: { orderId: 'bench', taskId: `signer${i}`, packagingTaskId: PKG, signedAt, signer },
      reason: `Signed by ${signer.signerName} with ${signer.method}`,
    });
  }
  const pdf = Buffer.from(await merged.save({ useObjectStreams: false }));
  const rendered = performance.now();
  // The stack's TSA: B-LTA, as document-storage seals packages.
  const sealed = await sealPdfForSigners({ pdf, identity, signers, tsaUrl: bench.stack.env.SIGNING_TSA_URL! });
  return { pdf: sealed, render: rendered - started, seal: performance.now() - rendered };
}

/**
 * N signatures at the stack's level (B-LTA: it has a TSA), each intact to pdfsig, the first trusted by the stack's
 * root (see verifyWithPdfsig for the rest), in signer order.
 */
async function verifyPackage(what: string, pdf: Buffer, n: number, caPem: string): Promise<void> {
  const levels = await padesLevels(pdf);
  const { signatures, raw } = await verifyWithPdfsig(pdf, { caPems: [caPem] });
  const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
  const bad = seals.filter((s) => !s.valid);
  if (seals.length !== n || bad.length > 0 || !seals[0]?.trusted || levels.some((l) => l !== 'B-LTA')) {
    throw new Error(`${what}: expected ${n} valid B-LTA signatures (${levels.join(', ')}), pdfsig says:\n${raw}`);
  }
  const names = (await readSignatureDictionaries(pdf)).map((d) => d.name);
  const expected = Array.from({ length: n }, (_, i) => signerName(i + 1));
  if (JSON.stringify(names) !== JSON.stringify(expected)) throw new Error(`${what}: signers ${names.join(', ')}`);
}

interface PipelineRun {
  orderId: string;
  /** All N tasks signed (first SIGNED sent → last returned). */
  signing: number;
  /** Last SIGNED Update returned → status API says COMPLETED. */
  packaging: number;
  toChild: number;
  toActivity: number;
  activity: number;
  toStatus: number;
}

const bench = await startBenchStack('packaging', Object.keys(SERVICES) as ServiceName[]);
let temporal: Client | undefined;
try {
  const { api, auth, stack } = bench;
  temporal = await stackTemporalClient(stack.env);
  const client = temporal;
  // The identity document-storage made at its start in the stack's data dir: the same key for the raw seals.
  const identity = await loadSigningIdentity({ dataDir: stack.env.ESIGN_DATA_DIR! });

  const call = async <T>(path: string, init: RequestInit = {}, expect = 200): Promise<T> => {
    const res = await fetch(`${api}${path}`, { ...init, headers: { ...auth, ...init.headers } });
    if (res.status !== expect)
      throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const createOrder = async (n: number): Promise<string> => {
    const refs = await pool(
      Array.from({ length: n }, (_, i) => async () => {
        const body = documentText(n, i + 1);
        const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body };
        return (await call<{ documentId: string }>('/documents', init, 201)).documentId;
      }),
      SIGN_CONCURRENCY,
    );
    const tasks = refs.map((documentRef, i) => ({
      id: `signer${i + 1}`,
      documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef }],
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
    }));
    const order = {
      clientReference: `bench-packaging-${n}`,
      tasks,
      packagingTasks: [
        {
          id: PKG,
          method: 'pades',
          sendToArchive: false,
          documents: tasks.map((t) => ({ taskId: t.id, documentIds: ['doc1'] })),
        },
      ],
    };
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) };
    return (await call<{ id: string }>('/orders', init, 201)).id;
  };
  const packagingStatus = (orderId: string) =>
    call<{ packagingTaskStatus: string }>(`/orders/${orderId}/packaging-tasks/${PKG}/status`);

  const pipeline = async (n: number): Promise<PipelineRun> => {
    const orderId = await createOrder(n);
    const before = (await packagingStatus(orderId)).packagingTaskStatus;
    if (before !== 'CREATED') throw new Error(`packaging status before signing: ${before}`);
    const signStart = performance.now();
    let lastPerf = 0;
    let lastEpoch = 0;
    await pool(
      Array.from({ length: n }, (_, i) => async () => {
        const taskId = `signer${i + 1}`;
        const action = { type: 'SIGNED', documentId: 'doc1', seal: sealRequest(i + 1) } as const;
        const { taskStatus } = await signerAction(client, orderId, taskId, action);
        if (taskStatus !== 'COMPLETED') throw new Error(`${taskId} is ${taskStatus} after signing`);
        lastPerf = performance.now();
        lastEpoch = Date.now();
      }),
      SIGN_CONCURRENCY,
    );
    const deadline = lastPerf + 120_000;
    for (;;) {
      const { packagingTaskStatus } = await packagingStatus(orderId);
      if (packagingTaskStatus === 'COMPLETED') break;
      if (packagingTaskStatus === 'FAILED') throw new Error(`packaging of ${n} signers FAILED (order ${orderId})`);
      if (performance.now() > deadline) throw new Error(`packaging of ${n} signers not done after 120 s`);
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
    const donePerf = performance.now();
    const doneEpoch = Date.now();
    const history = await client.workflow.getHandle(ids.packaging(orderId, PKG)).fetchHistory();
    const p = packagingParts(history.events ?? []);
    return {
      orderId,
      signing: lastPerf - signStart,
      packaging: donePerf - lastPerf,
      toChild: p.workflowStarted - lastEpoch,
      toActivity: p.activityStarted - p.workflowStarted,
      activity: p.activityDone - p.activityStarted,
      toStatus: doneEpoch - p.activityDone,
    };
  };

  const runs: Record<number, PipelineRun[]> = {};
  const rawResults: Record<number, Buffer> = {};
  const rawParts: Record<number, Array<{ render: number; seal: number }>> = {};
  const cases: Record<string, () => Promise<number>> = {};
  for (const n of SIZES) {
    runs[n] = [];
    rawParts[n] = [];
    rawResults[n] = (await rawPackage(n, identity)).pdf; // warm-up, kept for the check
    cases[`pipeline-${n}`] = async () => {
      const run = await pipeline(n);
      runs[n]!.push(run);
      return run.packaging;
    };
    cases[`raw-${n}`] = async () => {
      const { render, seal } = await rawPackage(n, identity);
      rawParts[n]!.push({ render, seal });
      return render + seal;
    };
  }
  const warmUp = await pipeline(2); // first order, first seals, first package: JIT and connections in every service
  const times = await alternate(ROUNDS, cases);

  // The checks, after the timing: one package per size as the API serves it, and the raw result.
  const sizes: Record<number, { pages: number; pkg: number; raw: number }> = {};
  for (const n of SIZES) {
    const res = await fetch(`${api}/orders/${runs[n]![0]!.orderId}/packaging-tasks/${PKG}/result`, { headers: auth });
    if (res.status !== 200) throw new Error(`package result answered ${res.status}`);
    const pkg = Buffer.from(await res.arrayBuffer());
    await verifyPackage(`package of ${n} signers`, pkg, n, identity.caPem);
    await verifyPackage(`raw package of ${n} signers`, rawResults[n]!, n, identity.caPem);
    const pages = (await PDFDocument.load(pkg, { updateMetadata: false })).getPageCount();
    sizes[n] = { pages, pkg: pkg.length, raw: rawResults[n]!.length };
  }

  const rows = SIZES.map((n) => {
    const p = median(times[`pipeline-${n}`]!);
    const r = median(times[`raw-${n}`]!);
    const a = median(runs[n]!.map((x) => x.activity));
    return {
      signers: String(n),
      'pages, package (raw)': `${sizes[n]!.pages}, ${kib(sizes[n]!.pkg)} (${kib(sizes[n]!.raw)})`,
      'packaging time': msCell(p),
      'raw engine': msCell(r),
      'ratio pipeline / raw': (p / r).toFixed(2),
      'packageDocuments activity': msCell(a),
      'activity / raw': (a / r).toFixed(2),
      'raw: render + merge': msCell(median(rawParts[n]!.map((x) => x.render))),
      'raw: sealPdfForSigners': msCell(median(rawParts[n]!.map((x) => x.seal))),
    };
  });
  const parts = SIZES.map((n) => {
    const m = (f: (x: PipelineRun) => number) => msCell(median(runs[n]!.map(f)));
    return {
      signers: String(n),
      'last SIGNED → packaging workflow started': m((x) => x.toChild),
      '→ packageDocuments started': m((x) => x.toActivity),
      'packageDocuments (started → completed)': m((x) => x.activity),
      '→ status COMPLETED seen': m((x) => x.toStatus),
      [`signing all N (${SIGN_CONCURRENCY} at a time)`]: m((x) => x.signing),
    };
  });
  const perRound = SIZES.map((n) => ({
    signers: String(n),
    'packaging time per round': times[`pipeline-${n}`]!.map(msCell).join(', '),
    'raw per round': times[`raw-${n}`]!.map(msCell).join(', '),
  }));
  process.stdout.write(
    `\nPackaging time: ${ROUNDS} alternating rounds, medians; one package and one raw result per size checked ` +
      `with pdfsig\n\n${table(rows)}\n\n${table(parts)}\n\n${table(perRound)}\n\n` +
      `warm-up order (2 signers, not counted): packaging time ${msCell(warmUp.packaging)}, ` +
      `packageDocuments ${msCell(warmUp.activity)}\n`,
  );
} finally {
  await temporal?.connection.close();
  await bench.stop();
}
