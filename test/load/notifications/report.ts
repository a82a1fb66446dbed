// The benchmark's figures per round and the report of their medians.
import { median, table } from '../measure.js';

const seconds = (ms: number) => ms / 1000;

export function newDetails() {
  return {
    createRate: [] as number[],
    settle: [] as number[],
    startup: [] as number[],
    mailsDone: [] as number[],
    callsDone: [] as number[],
    closed: [] as number[],
    smtpOpen: [] as number[],
    rss: [] as number[],
    rawSmtpOpen: [] as number[],
    /** CPU used per process while the worker sends (CPU seconds per wall second: 1 = one core). */
    cores: {} as Record<string, number[]>,
  };
}

export type Details = ReturnType<typeof newDetails>;

export function report({
  orders,
  rounds,
  concurrency,
  runs,
  details,
}: {
  orders: number;
  rounds: number;
  concurrency: number;
  runs: { pipeline: number[]; raw: number[] };
  details: Details;
}): string {
  const p = median(runs.pipeline);
  const r = median(runs.raw);
  const s = (xs: number[]) => seconds(median(xs));
  return (
    `\nNotification delivery: ${orders} orders × (1 e-mail + 1 URL) = ${2 * orders} deliveries per round, ` +
    `${rounds} alternating round(s), medians\n\n${table([
      { case: 'notification worker draining the queued deliveries (delivered/s)', value: p },
      { case: `raw nodemailer sendMail + fetch GET, ${concurrency} concurrent (delivered/s)`, value: r },
      { case: 'ratio worker / raw', value: p / r },
    ])}\n\n${table([
      { measure: 'per round, worker (delivered/s)', value: runs.pipeline.map((x) => x.toFixed(1)).join(', ') },
      { measure: 'per round, raw (delivered/s)', value: runs.raw.map((x) => x.toFixed(1)).join(', ') },
      { measure: 'worker: last e-mail arrived, s after the first delivery', value: s(details.mailsDone) },
      { measure: 'worker: last URL call arrived, s after the first delivery', value: s(details.callsDone) },
      { measure: 'worker: every delivery workflow closed, s after the first delivery', value: s(details.closed) },
      { measure: 'worker: process spawn → first delivery (s)', value: s(details.startup) },
      {
        measure: 'most SMTP connections open at once, worker / raw',
        value: `${median(details.smtpOpen)} / ${median(details.rawSmtpOpen)}`,
      },
      { measure: 'notification worker RSS after the drain (MiB)', value: median(details.rss) },
      { measure: 'setup: orders created with notifications (orders/s)', value: median(details.createRate) },
      { measure: 'setup: last order created → every delivery queued (s)', value: s(details.settle) },
    ])}\n\nCPU while the worker sends (first → last delivery), cores (CPU-s per s), medians\n\n${table(
      Object.entries(details.cores)
        .map(([name, xs]) => ({ process: name, cores: median(xs) }))
        .sort((a, b) => b.cores - a.cores),
    )}\n`
  );
}
