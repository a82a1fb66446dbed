// `npm run bench`: every benchmark case of issue 10 in ONE throwaway stack, one table. Each comparison alternates
// rounds of the real path and of the raw engine measured in the same run (medians); the table and the machine it ran
// on also go to docs/benchmarks.md between <!-- bench:all:start --> and <!-- bench:all:end -->.
//
//   1. order creation through the gateway vs raw `client.workflow.start` of an empty workflow
//   2. one-signer orders end to end (created, signed via the Update path, COMPLETED) vs a bare workflow of as many
//      no-op activities as an order schedules, on a queue of their own (and, for reference, eagerly on its worker)
//   3. upload MB/s through the gateway vs raw S3 put, 1 MiB and 20 MiB
//   4. task status reads/s (and p50/p99) vs a bare express JSON route
//   5. RSS of each service: idle, peak during cases 1–4, with 1,000 more open orders (--quick: 500)
//   6. Temporal history events of a one-signer order (order + task child)
//
// Run: npm run bench [-- --quick] [--rounds N] [--open-orders N] [--seal] [--no-docs]
//      (or BENCH_QUICK=1, BENCH_ROUNDS, BENCH_OPEN_ORDERS, BENCH_SEAL=1, BENCH_NO_DOCS=1)
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SERVICES, type ServiceName } from '@esign/devstack';
import type { Client } from '@temporalio/client';
import { resent, stackTemporalClient, startBenchStack } from './bench-stack.js';
import { endToEnd } from './cases/end-to-end.js';
import { rssWithOpenOrders, runningOrders, serviceProcesses } from './cases/memory.js';
import { orderCreation } from './cases/order-creation.js';
import { orderHistories } from './cases/order-history.js';
import { statusReads } from './cases/status-reads.js';
import { MiB, uploadThroughput } from './cases/upload.js';
import { startFixtureWorker, type FixtureWorker } from './fixture-worker.js';
import { median, restGate, rssMedians, rssPeaks } from './measure.js';
import { benchOrders } from './orders.js';
import {
  describeMachine,
  limitRow,
  machineLines,
  num,
  ratioRow,
  resultTable,
  writeSection,
  wrap,
  type Row,
} from './report.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'open-orders': { type: 'string' },
    seal: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
  },
});
const flag = (name: string) => ['1', 'true', 'yes'].includes(process.env[name] ?? '');
const QUICK = args.quick || flag('BENCH_QUICK');
const SEAL = args.seal || flag('BENCH_SEAL');
const WRITE_DOCS = !(args['no-docs'] || flag('BENCH_NO_DOCS'));
/** A whole number ≥ `min` from an option or variable, else `fallback`. */
const count = (what: string, value: string | undefined, fallback: number, min: number) => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${what}: ${value} is not a whole number ≥ ${min}`);
  return n;
};
/** At least 3: every figure is a median of at least three runs. */
const ROUNDS = count('--rounds', args.rounds ?? process.env.BENCH_ROUNDS, QUICK ? 3 : 5, 3);
const OPEN_ORDERS = count('--open-orders', args['open-orders'] ?? process.env.BENCH_OPEN_ORDERS, QUICK ? 500 : 1000, 0);
/** Requests in flight for the order cases (orders, bare workflows): as in the order benchmark. */
const CONCURRENCY = 8;
const SETTINGS = {
  creation: { rounds: ROUNDS, perRound: QUICK ? 60 : 150, concurrency: CONCURRENCY },
  endToEnd: { rounds: ROUNDS, perRound: QUICK ? 16 : 40, concurrency: CONCURRENCY },
  upload: {
    rounds: ROUNDS,
    concurrency: 4,
    sizes: [
      { label: '1 MiB', size: 1 * MiB, count: QUICK ? 20 : 40 },
      { label: '20 MiB', size: 20 * MiB, count: QUICK ? 4 : 8 },
    ],
  },
  status: { rounds: ROUNDS, seconds: QUICK ? 3 : 5, connections: 32 },
  histories: 3,
};
const TARGETS = {
  creation: 0.7,
  creationVsOwned: 4,
  endToEnd: 0.5,
  upload: 0.7,
  status: 0.5,
  rssMB: 250,
  events: 60,
};
/** How long the stack rests after start before the idle RSS is read. */
const IDLE_SETTLE_MS = 10_000;
const DOCS = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

/** An error with its stack and its chain of causes (`fetch failed` says why only in its cause). */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return `${err.stack ?? err.message}${err.cause === undefined ? '' : `\ncaused by: ${describeError(err.cause)}`}`;
}

const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(0)} s`;
const say = (line: string) => process.stderr.write(`[bench ${elapsed()}] ${line}\n`);
const list = (xs: number[]) => xs.map(num).join(', ');

const machine = describeMachine();
say(`${QUICK ? 'quick' : 'full'} run, ${ROUNDS} rounds per comparison; starting the stack`);
// A rate limit no round reaches: the check still runs on every request, it just never refuses.
const bench = await startBenchStack('all', Object.keys(SERVICES) as ServiceName[], {
  extraEnv: { RATE_LIMIT_REQUESTS: '1000000000' },
});
const { stack } = bench;
let fixtures: FixtureWorker | undefined;
let temporal: Client | undefined;
let sampler: ReturnType<typeof rssPeaks> | undefined;
try {
  const services = serviceProcesses(stack);
  // Case 5, idle: after start (settled for a few seconds), before any work.
  await new Promise((res) => setTimeout(res, IDLE_SETTLE_MS));
  const idle = await rssMedians(services);
  say(`stack up; idle RSS (MB): ${services.map((s) => `${s.name} ${num(idle[s.name]!)}`).join(', ')}`);

  fixtures = await startFixtureWorker(stack.env);
  temporal = await stackTemporalClient(stack.env);
  // Rounds of cases 1 and 2 begin once the stack (and this process, which hosts the fixture workers) is back at
  // rest: an order's workflow tasks run on after its request was answered, and must not slow the next round down.
  const { rest, settle, waits: settleWaits } = await restGate([...stack.processes.map((p) => p.pid), process.pid]);
  say(`at rest the stack and this process use ${num(rest * 100)} % of a core`);
  const ctx = { orders: await benchOrders(bench, temporal, { seal: SEAL }), temporal, fixtures };
  const { orders } = ctx;

  // Case 6 first: its orders also give the activity count the bare workflow of case 2 needs.
  const histories = await orderHistories(ctx, SETTINGS.histories);
  const events = median(histories.map((h) => h.total));
  const activities = Math.max(...histories.map((h) => h.activities));
  say(
    `case 6: history events ${histories.map((h) => `${h.orderEvents} + ${h.taskEvents}`).join(', ')}; ` +
      `activities scheduled ${histories.map((h) => h.activities).join(', ')}`,
  );

  // Cases 1–4, with every service's RSS sampled every 200 ms (the peak of each case kept apart).
  const casePeaks: Array<{ case: number; peaks: Record<string, number> }> = [];
  const sampled = async <T>(n: number, work: () => Promise<T>): Promise<T> => {
    sampler = rssPeaks(services, 200);
    const result = await work();
    casePeaks.push({ case: n, peaks: sampler.stop() });
    sampler = undefined;
    return result;
  };
  const creation = await sampled(1, () => orderCreation(ctx, { ...SETTINGS.creation, settle }));
  say(
    `case 1: gateway orders/s ${list(creation.gateway)}; raw starts/s ${list(creation.raw)}; ` +
      `workflow-owned creations/s ${list(creation.owned)}`,
  );
  const e2e = await sampled(2, () => endToEnd(ctx, { ...SETTINGS.endToEnd, activities, settle }));
  say(
    `case 2: orders/s end to end ${list(e2e.gateway)}; bare workflows/s (${activities} no-op) ${list(e2e.raw)}; ` +
      `with eager activities ${list(e2e.eager)}`,
  );
  const uploads = await sampled(3, () => uploadThroughput(bench, SETTINGS.upload));
  for (const u of uploads) say(`case 3, ${u.label}: gateway MB/s ${list(u.gateway)}; raw MB/s ${list(u.raw)}`);
  const status = await sampled(4, () => statusReads({ bench, orders }, SETTINGS.status));
  say(
    `case 4: gateway req/s ${list(status.gateway.map((r) => r.rps))}; ` +
      `bare req/s ${list(status.raw.map((r) => r.rps))} (${status.bodyBytes}-byte body)`,
  );
  /** Each service's peak over cases 1–4, and the case it came in. */
  const peak = Object.fromEntries(
    services.map((s) => {
      const top = casePeaks.reduce((a, b) => ((b.peaks[s.name] ?? 0) > (a.peaks[s.name] ?? 0) ? b : a));
      return [s.name, { mb: top.peaks[s.name]!, case: top.case }];
    }),
  );
  say(
    `case 5: peak RSS (MB) per case: ${casePeaks
      .map((c) => `${c.case}: ${services.map((s) => `${s.name} ${num(c.peaks[s.name]!)}`).join(', ')}`)
      .join('; ')}`,
  );

  // Case 5, open orders: more orders left unsigned.
  const before = await runningOrders(ctx.temporal);
  const open = await rssWithOpenOrders({ ...ctx, stack }, OPEN_ORDERS, {
    concurrency: CONCURRENCY,
    settleMs: 5000,
  });
  say(`case 5: ${open.created} more orders in ${num(open.seconds)} s (${before} → ${open.open} open)`);

  const m = (xs: number[]) => median(xs);
  const rows: Row[] = [
    ratioRow(
      '1. Order creation (POST /orders, orders/s) vs raw workflow.start of an empty workflow',
      m(creation.gateway),
      m(creation.raw),
      TARGETS.creation,
    ),
    ratioRow(
      '1. Order creation (orders/s) vs the workflow-owned minimum (update-with-start: 1 activity, 1 child start)',
      m(creation.gateway),
      m(creation.owned),
      TARGETS.creationVsOwned,
    ),
    ratioRow(
      `2. End to end: orders created, signed, COMPLETED (orders/s) vs bare workflow, ${activities} no-op activities`,
      m(e2e.gateway),
      m(e2e.raw),
      TARGETS.endToEnd,
    ),
    ratioRow(
      `2. (reference) the same vs the bare workflow with its activities eagerly on its own worker`,
      m(e2e.gateway),
      m(e2e.eager),
    ),
    ...uploads.map((u) =>
      ratioRow(`3. Upload ${u.label} PDF (MB/s) vs raw S3 putObject`, m(u.gateway), m(u.raw), TARGETS.upload),
    ),
    ratioRow(
      '4. Task status reads (req/s) vs bare express JSON route',
      m(status.gateway.map((r) => r.rps)),
      m(status.raw.map((r) => r.rps)),
      TARGETS.status,
    ),
    ratioRow(
      '4. Task status reads, p50 latency (ms)',
      m(status.gateway.map((r) => r.p50)),
      m(status.raw.map((r) => r.p50)),
    ),
    ratioRow(
      '4. Task status reads, p99 latency (ms)',
      m(status.gateway.map((r) => r.p99)),
      m(status.raw.map((r) => r.p99)),
    ),
    ...services.map((s) => {
      const values = [idle[s.name]!, peak[s.name]!.mb, open.rss[s.name]!];
      return limitRow(
        `5. RSS ${s.name} (MB): idle / peak in cases 1–4 / ${open.open} open orders`,
        `${num(values[0]!)} / ${num(values[1]!)} (case ${peak[s.name]!.case}) / ${num(values[2]!)}`,
        Math.max(...values),
        TARGETS.rssMB,
      );
    }),
    limitRow(
      '6. Temporal history events per one-signer order (order + task child)',
      `${num(events)} (${num(m(histories.map((h) => h.orderEvents)))} + ${num(m(histories.map((h) => h.taskEvents)))})`,
      events,
      TARGETS.events,
    ),
  ];
  const table = resultTable(rows);
  const ran = machine.atEnd();
  const settings =
    `${QUICK ? 'Quick run' : 'Full run'} (${new Date(began).toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
    `${elapsed()}): ${ROUNDS} alternating rounds per comparison, medians. Case 1: ${SETTINGS.creation.perRound} ` +
    `orders per round, ${CONCURRENCY} concurrent. Case 2: ${SETTINGS.endToEnd.perRound} orders per round, ` +
    `${CONCURRENCY} concurrent, SIGNED ${SEAL ? 'with' : 'without'} a seal request; the bare workflow's activities ` +
    `on a task queue and worker of their own, as each order activity runs in its service. Each round of cases 1 ` +
    `and 2 began once the stack was back at rest (its CPU use within 10 % of a core of the ${num(rest * 100)} % ` +
    `measured at rest; waits ${num(Math.min(...settleWaits) / 1000)}–${num(Math.max(...settleWaits) / 1000)} s). ` +
    `Case 3: ` +
    `${SETTINGS.upload.sizes.map((s) => `${s.count} × ${s.label}`).join(' and ')} per round, ` +
    `${SETTINGS.upload.concurrency} concurrent. Case 4: autocannon, ${SETTINGS.status.connections} connections, ` +
    `${SETTINGS.status.seconds} s per round, the bare route in this process, autocannon in a worker thread. ` +
    `Case 5: VmRSS in MB (10^6 bytes), idle ${IDLE_SETTLE_MS / 1000} s after start, peak sampled every 200 ms, ` +
    `open orders ${OPEN_ORDERS} more created and left unsigned (5 s settle). ` +
    `Case 6: median of ${SETTINGS.histories} orders.` +
    (resent.count ? ` ${resent.count} request(s) to the gateway sent twice after a failed connection.` : '');
  process.stdout.write(`\n${wrap(settings)}\n\n${table}\n\n${machineLines(ran).join('\n')}\n`);
  if (WRITE_DOCS) {
    writeSection(DOCS, `${wrap(settings)}\n\n${table}\n\nMachine:\n\n${machineLines(ran).join('\n')}`);
    say(`written to ${DOCS}`);
  }
} catch (err) {
  // Said at once: stopping the stack takes a while, and a late error there must not hide this one.
  say(`failed: ${describeError(err)}`);
  for (const s of stack.services) {
    const exited = s.process.exited();
    if (exited) say(`service ${s.name} (pid ${s.process.pid}) ${exited}:\n${s.process.logTail(30)}`);
  }
  // The stack's data dir goes with it: its logs are kept.
  const kept = mkdtempSync(join(tmpdir(), 'esign-bench-all-logs-'));
  cpSync(stack.logDir, kept, { recursive: true });
  say(`the stack's logs are kept in ${kept}`);
  process.exitCode = 1;
} finally {
  sampler?.stop();
  await temporal?.connection.close();
  await fixtures?.stop();
  await bench.stop();
}
