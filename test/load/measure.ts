// Shared by the benchmark scripts: repeat measurements, take medians, sample a process's memory, print a table.
import { readFileSync } from 'node:fs';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs each case once per round, alternating, so drift on a noisy machine hits every case alike. */
export async function alternate<K extends string>(
  rounds: number,
  cases: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of Object.keys(cases) as K[]) out[k].push(await cases[k]());
  }
  return out;
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

/** Runs `count` jobs with `concurrency` workers; returns the seconds the whole batch took. */
export async function timedBatch(count: number, concurrency: number, job: () => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await job();
    }),
  );
  return (performance.now() - started) / 1000;
}
