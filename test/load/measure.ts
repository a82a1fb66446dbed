// Shared by the benchmark scripts: repeat measurements, take medians, sample a process's memory, print a table.
import { readFileSync } from 'node:fs';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Runs each case once per round, alternating, so drift on a noisy machine hits every case alike. `before`, when
 * given, runs ahead of every case (e.g. `untilQuiet`, so no case pays for work the previous one left behind).
 */
export async function alternate<K extends string>(
  rounds: number,
  cases: Record<K, () => Promise<number>>,
  before?: () => Promise<unknown>,
): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of Object.keys(cases) as K[]) {
      await before?.();
      out[k].push(await cases[k]());
    }
  }
  return out;
}

// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on here.
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system, all threads) a process has used so far (Linux /proc); 0 once it is gone. */
export function cpuMs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const totalCpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/**
 * Waits until processes are back at rest: the first `windowMs` in which together they use no more CPU than
 * `restShare` (of one core, as `restGate` measured) plus `margin`. Work a benchmark round leaves behind (a
 * workflow's next tasks, a deferred write) so runs down before the next round is timed. Gives up after `timeoutMs`.
 * Answers how long it waited.
 */
export async function untilQuiet(
  pids: number[],
  restShare: number,
  { windowMs = 250, margin = 0.1, timeoutMs = 30_000 } = {},
): Promise<number> {
  const began = performance.now();
  for (;;) {
    const before = totalCpuMs(pids);
    await sleep(windowMs);
    const share = (totalCpuMs(pids) - before) / windowMs;
    const waited = performance.now() - began;
    if (share <= restShare + margin || waited >= timeoutMs) return waited;
  }
}

/** What each process uses at rest, over `ms`: CPU ms per ms (a share of one core), in the order of `pids`. */
export async function restingRates(pids: number[], ms = 2000): Promise<number[]> {
  const before = pids.map(cpuMs);
  await sleep(ms);
  return pids.map((pid, i) => (cpuMs(pid) - before[i]!) / ms);
}

/**
 * Measures what `pids` use at rest now, and gives a `settle` that waits until they are back there (`untilQuiet`),
 * for `alternate` to run before each round; `waits` collects how long each settle took (ms).
 */
export async function restGate(
  pids: number[],
): Promise<{ rest: number; settle: () => Promise<void>; waits: number[] }> {
  const rest = (await restingRates(pids)).reduce((a, b) => a + b, 0);
  const waits: number[] = [];
  return { rest, waits, settle: async () => void waits.push(await untilQuiet(pids, rest)) };
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Samples a process's RSS every `everyMs` while `work` runs; returns the peak. */
export async function peakRss<T>(
  pid: number,
  work: () => Promise<T>,
  everyMs = 50,
): Promise<{ peak: number; result: T }> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, everyMs);
  try {
    const result = await work();
    peak = Math.max(peak, rssMiB(pid));
    return { peak, result };
  } finally {
    clearInterval(timer);
  }
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const cell = (v: string | number) => (typeof v === 'number' ? v.toFixed(v >= 100 ? 0 : 2) : v);
  const lines = [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${cols.map((c) => cell(row[c] ?? '')).join(' | ')} |`);
  return lines.join('\n');
}

/**
 * Runs `count` jobs with `concurrency` workers; returns the seconds the whole batch took. When a job fails, no new
 * one starts and the first error is thrown once the jobs in flight have settled (none is left running unseen).
 */
export async function timedBatch(count: number, concurrency: number, job: () => Promise<void>): Promise<number> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!failure && next++ < count) {
        try {
          await job();
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
  return (performance.now() - started) / 1000;
}

/** Resident set size of a process in MB (10^6 bytes; Linux /proc VmRSS). */
export function rssMB(pid: number): number {
  return (rssMiB(pid) * 1024 * 1024) / 1e6;
}

/**
 * Samples the RSS (MB) of named processes every `everyMs` until stopped; `stop` returns each one's peak. A process
 * that is gone is skipped (its peak so far stays).
 */
export function rssPeaks(processes: ReadonlyArray<{ name: string; pid: number }>, everyMs = 200) {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const p of processes) {
      try {
        peaks[p.name] = Math.max(peaks[p.name] ?? 0, rssMB(p.pid));
      } catch {
        // exited: nothing to sample
      }
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}

/** Median RSS (MB) of each named process over `samples` samples `everyMs` apart. */
export async function rssMedians(
  processes: ReadonlyArray<{ name: string; pid: number }>,
  samples = 3,
  everyMs = 1000,
): Promise<Record<string, number>> {
  const seen: Record<string, number[]> = {};
  for (let i = 0; i < samples; i++) {
    if (i > 0) await new Promise((res) => setTimeout(res, everyMs));
    for (const p of processes) (seen[p.name] ??= []).push(rssMB(p.pid));
  }
  return Object.fromEntries(Object.entries(seen).map(([name, xs]) => [name, median(xs)]));
}

/** A Markdown table with every column padded to its widest cell, as Prettier writes it (left-aligned). */
export function alignedTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
