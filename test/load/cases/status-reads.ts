// Case 4: task status reads per second — autocannon against `GET /orders/{id}/tasks/{taskId}/status` with a bearer
// token (the real gateway: token check, rate limit, the order read from the Redis read model) vs a bare express app
// in the benchmark process answering the same JSON object, in alternating rounds. autocannon runs in a worker thread,
// so the bare app has the benchmark process's main thread to itself.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import type { BenchStack } from '../bench-stack.js';
import { alternate } from '../measure.js';
import { TASK_ID, type Orders } from '../orders.js';

export interface StatusReadsOptions {
  rounds: number;
  /** Seconds per autocannon run. */
  seconds: number;
  connections: number;
}

export interface HttpRun {
  rps: number;
  /** Latency percentiles of the run, ms. */
  p50: number;
  p99: number;
}

async function load(url: string, headers: Record<string, string>, o: StatusReadsOptions): Promise<HttpRun> {
  const result = await autocannon({ url, headers, connections: o.connections, duration: o.seconds, workers: 1 });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** Per round: req/s, p50 and p99 of the gateway's status route and of the bare route. */
export async function statusReads(
  ctx: { bench: BenchStack; orders: Orders },
  o: StatusReadsOptions,
): Promise<{ gateway: HttpRun[]; raw: HttpRun[]; bodyBytes: number }> {
  const { bench, orders } = ctx;
  const orderId = await orders.create();
  const url = `${bench.api}/orders/${orderId}/tasks/${TASK_ID}/status`;
  const body = await orders.taskStatus(orderId);
  const app = express();
  app.get('/status', (_req, res) => {
    res.json(body);
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bare = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  try {
    const runs: { gateway: HttpRun[]; raw: HttpRun[] } = { gateway: [], raw: [] };
    // Warm-up, not counted.
    const warm = { ...o, seconds: 1 };
    await load(url, bench.auth, warm);
    await load(bare, {}, warm);
    // alternate() keeps one number per run; the whole run (req/s and latencies) is kept here.
    const keep = async (into: HttpRun[], run: Promise<HttpRun>) => {
      const r = await run;
      into.push(r);
      return r.rps;
    };
    await alternate(o.rounds, {
      gateway: () => keep(runs.gateway, load(url, bench.auth, o)),
      raw: () => keep(runs.raw, load(bare, {}, o)),
    });
    return { ...runs, bodyBytes: Buffer.byteLength(JSON.stringify(body)) };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
