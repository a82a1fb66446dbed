// Benchmark (not a test): where the CPU goes. For each comparison of `npm run bench` that misses its target on a small
// machine — order creation, one-signer orders end to end, 1 MiB uploads — the CPU time (user + system, from /proc) each
// process of the stack spends per item, on the real path and on the raw engine's, in alternating rounds (medians), each
// begun and ended with the stack at rest, less what each process uses at rest. The upload comparison also runs a
// minimal Node streaming proxy (fixtures/minimal-proxy.ts) as the control: what any Node process in the path costs.
// "bench" is this process: the load generator, and for the raw order cases also the fixture worker that runs the bare
// workflows.
// Run: npm run bench:cpu [-- --rounds N] [--case creation|end-to-end|upload]
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '@esign/config';
import { SERVICES, type ServiceName } from '@esign/devstack';
import { createS3, freeLoopbackPort } from '@esign/service-runtime';
import { newId } from '@esign/temporal-contracts/random';
import { benchPost, stackTemporalClient, startBenchStack } from './bench-stack.js';
import { gatewayUpload, MiB, pdfOfSize } from './cases/upload.js';
import { rawWorkflowStart, startFixtureWorker } from './fixture-worker.js';
import { alignedTable, cpuMs, median, restingRates, timedBatch, untilQuiet } from './measure.js';
import { benchOrders } from './orders.js';
import { num } from './report.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, case: { type: 'string', multiple: true } },
});
const ROUNDS = Math.max(3, Number(args.rounds));
const CASES = new Set(args.case ?? ['creation', 'end-to-end', 'upload']);

type Processes = Array<{ name: string; pid: number }>;
const snapshot = (ps: Processes) => Object.fromEntries(ps.map((p) => [p.name, cpuMs(p.pid)]));

/**
 * One round, begun at rest: `count` jobs at `concurrency`, then until the stack is at rest again (the work a job
 * leaves behind — a workflow's next tasks, a deferred write — counts for it). Items/s, and CPU ms per item of each
 * process beyond what it uses at rest.
 */
async function round(
  ps: Processes,
  rest: { byName: Record<string, number>; share: number },
  count: number,
  concurrency: number,
  job: () => Promise<void>,
) {
  const pids = ps.map((p) => p.pid);
  await untilQuiet(pids, rest.share);
  const before = snapshot(ps);
  const began = performance.now();
  const seconds = await timedBatch(count, concurrency, job);
  await untilQuiet(pids, rest.share);
  const elapsed = performance.now() - began;
  const after = snapshot(ps);
  const used = (name: string) => Math.max(0, after[name]! - before[name]! - (rest.byName[name] ?? 0) * elapsed);
  const perItem = Object.fromEntries(ps.map((p) => [p.name, used(p.name) / count]));
  return { rate: count / seconds, perItem };
}

interface Side {
  label: string;
  job: () => Promise<void>;
  processes?: Processes;
}

/** Alternating rounds of each side; the median rate and median CPU ms per item of each process. */
async function compare(ps: Processes, count: number, concurrency: number, sides: Side[]) {
  const runs = sides.map(() => [] as Array<Awaited<ReturnType<typeof round>>>);
  for (const side of sides) await timedBatch(concurrency, concurrency, side.job); // warm-up
  const every = [...new Map([...ps, ...sides.flatMap((s) => s.processes ?? [])].map((p) => [p.name, p])).values()];
  const pids = every.map((p) => p.pid);
  // The warm-up's trailing work done first (against a fixed bound: the resting level is not known yet).
  await untilQuiet(pids, 0.3);
  const rates = await restingRates(pids, 3000);
  const rest = {
    byName: Object.fromEntries(every.map((p, i) => [p.name, rates[i]!])),
    share: rates.reduce((a, b) => a + b, 0),
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, side] of sides.entries())
      runs[i]!.push(await round(side.processes ?? ps, rest, count, concurrency, side.job));
  }
  return sides.map((side, i) => {
    const names = (side.processes ?? ps).map((p) => p.name);
    const perItem = Object.fromEntries(names.map((n) => [n, median(runs[i]!.map((x) => x.perItem[n]!))]));
    return { label: side.label, rate: median(runs[i]!.map((x) => x.rate)), perItem };
  });
}

function report(title: string, unit: string, results: Awaited<ReturnType<typeof compare>>): string {
  const names = [...new Set(results.flatMap((r) => Object.keys(r.perItem)))];
  const shown = names.filter((n) => results.some((r) => (r.perItem[n] ?? 0) >= 0.1));
  const rows = shown
    .map((n) => [n, ...results.map((r) => (r.perItem[n] === undefined ? '—' : num(r.perItem[n])))])
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  const total = (r: (typeof results)[number]) => Object.values(r.perItem).reduce((s, v) => s + v, 0);
  rows.push(['total', ...results.map((r) => num(total(r)))]);
  rows.push([`${unit}/s (median)`, ...results.map((r) => num(r.rate))]);
  return `${title}\n\n${alignedTable(['CPU ms per item', ...results.map((r) => r.label)], rows)}\n`;
}

const bench = await startBenchStack('cpu', Object.keys(SERVICES) as ServiceName[], {
  extraEnv: { RATE_LIMIT_REQUESTS: '1000000000' },
});
const { stack } = bench;
const fixtures = await startFixtureWorker(stack.env);
const temporal = await stackTemporalClient(stack.env);
let proxy: ChildProcess | undefined;
try {
  const ps: Processes = [
    ...stack.processes.map((p) => ({ name: p.name, pid: p.pid })),
    { name: 'bench', pid: process.pid },
  ];
  const orders = await benchOrders(bench, temporal);
  const out: string[] = [];

  if (CASES.has('creation')) {
    const creation = await compare(ps, 100, 8, [
      { label: 'POST /orders', job: async () => void (await orders.create()) },
      { label: 'raw workflow.start', job: rawWorkflowStart(temporal, fixtures) },
    ]);
    out.push(report('Order creation (8 concurrent)', 'items', creation));
  }
  if (CASES.has('end-to-end')) {
    const endToEnd = await compare(ps, 40, 8, [
      {
        label: 'order end to end',
        job: async () => {
          const orderId = await orders.create();
          await orders.sign(orderId);
          await orders.untilCompleted(orderId);
        },
      },
      ...[
        { label: 'bare workflow, 3 no-op activities', args: [3, fixtures.activityQueue] },
        { label: 'same, eager activities', args: [3] },
      ].map(({ label, args: bareArgs }) => ({
        label,
        job: async () => {
          await temporal.workflow.execute('noopActivitiesWorkflow', {
            taskQueue: fixtures.taskQueue,
            workflowId: `bench-noop-${newId()}`,
            args: bareArgs,
          });
        },
      })),
    ]);
    out.push(report('One-signer orders end to end (8 concurrent)', 'items', endToEnd));
  }
  if (CASES.has('upload')) {
    const config = loadConfig(stack.env);
    const s3 = createS3(config);
    const body = await pdfOfSize(1 * MiB);
    const port = await freeLoopbackPort();
    proxy = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/minimal-proxy.ts', import.meta.url)),
        stack.env.S3_ENDPOINT!,
        stack.env.S3_ACCESS_KEY!,
        stack.env.S3_SECRET_KEY!,
        config.s3.buckets.documents,
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      proxy!.stdout!.once('data', () => resolve());
      proxy!.once('exit', (code) => reject(new Error(`minimal proxy exited (${code})`)));
    });
    const withProxy = [...ps, { name: 'minimal proxy', pid: proxy.pid! }];
    const upload = await compare(withProxy, 100, 4, [
      { label: 'gateway POST /documents', job: gatewayUpload(bench, body) },
      {
        label: 'minimal Node proxy (control)',
        job: async () => {
          const res = await benchPost(`http://127.0.0.1:${port}/`, { 'content-type': 'application/pdf' }, body);
          if (res.status !== 201) throw new Error(`minimal proxy answered ${res.status}: ${res.body}`);
        },
      },
      {
        label: 'raw S3 putObject',
        job: async () => {
          await s3.putObject(config.s3.buckets.documents, `bench/${newId()}`, body, body.length, {
            'Content-Type': 'application/pdf',
          });
        },
      },
    ]);
    out.push(report(`1 MiB PDF uploads (${(body.length / MiB).toFixed(2)} MiB, 4 concurrent)`, 'uploads', upload));
  }

  process.stdout.write(`\nCPU per item, ${ROUNDS} alternating rounds, medians\n\n${out.join('\n')}`);
} finally {
  proxy?.kill('SIGTERM');
  await fixtures.stop();
  await temporal.connection.close();
  await bench.stop();
}
