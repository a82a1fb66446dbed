// Benchmark (not a test): where the Temporal server's CPU goes, per order creation and per raw `workflow.start` of an
// empty workflow (case 1 of `npm run bench`). The dev server is one Go process: `perf record` samples it (call
// graphs) while a batch of one side runs, from rest to rest; `go tool addr2line` names the samples' functions from the
// binary's own line table (the release binary is stripped of its symbol table, not of that), and each sample is put in
// the first bucket below whose functions are on its stack. Needs `perf` and `go` on the PATH (both are on this
// machine image; perf may need root or kernel.perf_event_paranoid ≤ 1).
// Run: npm run bench:temporal-profile [-- --count N]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICES, type ServiceName } from '@esign/devstack';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { rawWorkflowStart, startFixtureWorker } from './fixture-worker.js';
import { alignedTable, restGate, timedBatch } from './measure.js';
import { benchOrders } from './orders.js';
import { num } from './report.js';

const { values: args } = parseArgs({ options: { count: { type: 'string', default: '400' } } });
const COUNT = Math.max(50, Number(args.count));
const CONCURRENCY = 8;
const HZ = 499;

/** First match wins; a sample is counted where one of these functions is on its stack. */
const BUCKETS: Array<[label: string, functions: string[]]> = [
  ['visibility: workflow started', ['visibilityQueueTaskExecutor).processStartExecution']],
  ['visibility: search attributes upserted', ['visibilityQueueTaskExecutor).processUpsertExecution']],
  ['visibility: workflow closed', ['visibilityQueueTaskExecutor).processCloseExecution']],
  ['visibility: other', ['visibilityQueueTaskExecutor']],
  [
    "workflow starts (the gateway's, a task child's)",
    ['WorkflowHandler).StartWorkflowExecution', '_StartWorkflowExecution_Handler'],
  ],
  [
    'workflow tasks (matching, started, completed)',
    [
      'RecordWorkflowTaskStarted',
      'RespondWorkflowTaskCompleted',
      'PollWorkflowTaskQueue',
      'AddWorkflowTask',
      '_MatchingService_',
      '_ScheduleWorkflowTask_',
    ],
  ],
  ['transfer tasks (child starts, task dispatch)', ['transferQueue']],
  ['timer tasks', ['timerQueue']],
  [
    'Go garbage collection and allocation',
    ['runtime.gcBgMarkWorker', 'runtime.bgsweep', 'runtime.gcAssist', 'runtime.mallocgc'],
  ],
];
const OTHER = 'other (gRPC transport, scheduler, rest)';

function need(tool: string, probe: string[]): void {
  try {
    execFileSync(tool, probe, { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is needed (and must be allowed to sample another process): not usable here`);
  }
}

/** The virtual address the ELF file's first byte is loaded at (perf reports samples relative to the file). */
function loadBase(binary: string): bigint {
  const fd = openSync(binary, 'r');
  try {
    const header = Buffer.alloc(64);
    readSync(fd, header, 0, 64, 0);
    const phoff = header.readBigUInt64LE(32);
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    const ph = Buffer.alloc(phentsize * phnum);
    readSync(fd, ph, 0, ph.length, Number(phoff));
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (ph.readUInt32LE(at) !== 1) continue; // PT_LOAD
      return ph.readBigUInt64LE(at + 16) - ph.readBigUInt64LE(at + 8); // p_vaddr - p_offset
    }
  } finally {
    closeSync(fd);
  }
  throw new Error(`${binary}: no loadable segment`);
}

/** One recording's samples: each a stack of frames, innermost first ('' for frames outside the binary). */
function samples(data: string, binary: string): string[][] {
  const text = execFileSync('perf', ['script', '-i', data, '-F', 'ip,dso'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stacks: Array<Array<{ ip: string; own: boolean }>> = [];
  let current: Array<{ ip: string; own: boolean }> = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) {
      if (current.length) stacks.push(current);
      current = [];
      continue;
    }
    const [ip, dso = ''] = trimmed.split(/\s+/, 2);
    current.push({ ip: ip!, own: dso.includes(binary) });
  }
  if (current.length) stacks.push(current);
  const base = loadBase(binary);
  const addresses = [...new Set(stacks.flatMap((s) => s.filter((f) => f.own).map((f) => f.ip)))];
  const lines = execFileSync('go', ['tool', 'addr2line', binary], {
    input: addresses.map((a) => `0x${(BigInt(`0x${a}`) + base).toString(16)}`).join('\n') + '\n',
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  }).split('\n');
  const names = new Map(addresses.map((a, i) => [a, lines[2 * i] ?? '?']));
  return stacks.map((s) => s.map((f) => (f.own ? names.get(f.ip)! : '')));
}

function bucketOf(stack: string[]): string {
  for (const [label, functions] of BUCKETS) {
    if (stack.some((frame) => functions.some((fn) => frame.includes(fn)))) return label;
  }
  return OTHER;
}

need('perf', ['--version']);
need('go', ['version']);
const dir = mkdtempSync(join(tmpdir(), 'esign-temporal-profile-'));
const bench = await startBenchStack('temporal-profile', Object.keys(SERVICES) as ServiceName[], {
  extraEnv: { RATE_LIMIT_REQUESTS: '1000000000' },
});
const { stack } = bench;
const fixtures = await startFixtureWorker(stack.env);
const temporal = await stackTemporalClient(stack.env);
try {
  const server = stack.processes.find((p) => p.name === 'temporal')!;
  const binary = execFileSync('readlink', ['-f', `/proc/${server.pid}/exe`], { encoding: 'utf8' }).trim();
  const pids = [...stack.processes.map((p) => p.pid), process.pid];
  const orders = await benchOrders(bench, temporal);
  // Each batch begins and ends with the stack at rest, as the other order benchmarks measure it.
  const { settle } = await restGate(pids);
  const sides: Array<{ label: string; job: () => Promise<void> }> = [
    { label: 'POST /orders', job: async () => void (await orders.create()) },
    { label: 'raw workflow.start', job: rawWorkflowStart(temporal, fixtures) },
  ];
  for (const side of sides) await timedBatch(CONCURRENCY * 4, CONCURRENCY, side.job); // warm-up
  const results: Array<{ label: string; rate: number; perBucket: Map<string, number> }> = [];
  for (const [i, side] of sides.entries()) {
    await settle();
    const data = join(dir, `side-${i}.data`);
    const perf = spawn('perf', ['record', '-F', String(HZ), '-g', '-p', String(server.pid), '-o', data], {
      stdio: 'ignore',
    });
    await new Promise((res) => setTimeout(res, 500)); // perf attached
    const seconds = await timedBatch(COUNT, CONCURRENCY, side.job);
    await settle(); // the work an item leaves behind counts for it
    const stopped = new Promise((res) => perf.once('exit', res));
    perf.kill('SIGINT');
    await stopped;
    const perBucket = new Map<string, number>();
    for (const s of samples(data, binary)) {
      const label = bucketOf(s);
      perBucket.set(label, (perBucket.get(label) ?? 0) + 1000 / HZ / COUNT);
    }
    results.push({ label: side.label, rate: COUNT / seconds, perBucket });
  }
  const labels = [...BUCKETS.map(([label]) => label), OTHER];
  const rows = labels
    .filter((l) => results.some((r) => (r.perBucket.get(l) ?? 0) >= 0.05))
    .map((l) => [l, ...results.map((r) => num(r.perBucket.get(l) ?? 0))]);
  rows.push(['total', ...results.map((r) => num([...r.perBucket.values()].reduce((a, b) => a + b, 0)))]);
  rows.push(['items/s', ...results.map((r) => num(r.rate))]);
  process.stdout.write(
    `\nTemporal server CPU ms per item (perf at ${HZ} Hz, ${COUNT} items a side, ${CONCURRENCY} concurrent, ` +
      `rest to rest)\n\n${alignedTable(['Temporal CPU ms per item', ...results.map((r) => r.label)], rows)}\n`,
  );
} finally {
  await fixtures.stop();
  await temporal.connection.close();
  await bench.stop();
  rmSync(dir, { recursive: true, force: true });
}
