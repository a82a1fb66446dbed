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
import { loadSigningIdentity } from '@esign/pdf-signing';
import type { Client } from '@temporalio/client';
import { PDFDocument } from 'pdf-lib';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { alternate, median, table } from './measure.js';
import { packagingPipeline, SIGN_CONCURRENCY, type PipelineRun } from './packaging/pipeline.js';
import { rawPackage, verifyPackage } from './packaging/raw.js';
import { PKG } from './packaging/signers.js';

const ROUNDS = Math.max(3, Number(process.argv[2] ?? 3));
const SIZES = [2, 5, 20];

const msCell = (v: number) => `${v.toFixed(v >= 100 ? 0 : 1)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const bench = await startBenchStack('packaging', Object.keys(SERVICES) as ServiceName[]);
let temporal: Client | undefined;
try {
  const { api, auth, stack } = bench;
  temporal = await stackTemporalClient(stack.env);
  const client = temporal;
  // The identity document-storage made at its start in the stack's data dir: the same key for the raw seals.
  const identity = await loadSigningIdentity({ dataDir: stack.env.ESIGN_DATA_DIR! });
  const tsaUrl = stack.env.SIGNING_TSA_URL!;
  const pipeline = packagingPipeline(bench, client);

  const runs: Record<number, PipelineRun[]> = {};
  const rawResults: Record<number, Buffer> = {};
  const rawParts: Record<number, Array<{ render: number; seal: number }>> = {};
  const cases: Record<string, () => Promise<number>> = {};
  for (const n of SIZES) {
    runs[n] = [];
    rawParts[n] = [];
    rawResults[n] = (await rawPackage(n, identity, tsaUrl)).pdf; // warm-up, kept for the check
    cases[`pipeline-${n}`] = async () => {
      const run = await pipeline(n);
      runs[n]!.push(run);
      return run.packaging;
    };
    cases[`raw-${n}`] = async () => {
      const { render, seal } = await rawPackage(n, identity, tsaUrl);
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
