import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLoopWatch } from './event-loop-watch.js';
import { closeServer, healthHandler } from './health-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds the event loop, as a long synchronous computation does. */
function holdLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

describe('liveness and a blocked event loop', () => {
  const watches: EventLoopWatch[] = [];
  afterEach(() => watches.splice(0).forEach((w) => w.stop()));

  it('/healthz answers 503 blocked after the loop was held longer than the limit, and 200 again after the window', async () => {
    const watch = new EventLoopWatch({ windowMs: 1500, tickMs: 100 });
    watches.push(watch);
    const handler = healthHandler('test', {}, { maxBlockMs: 1000, watch });
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    try {
      await sleep(300);
      const before = await fetch(url);
      expect(before.status).toBe(200);
      expect(((await before.json()) as { eventLoopBlockedMs: number }).eventLoopBlockedMs).toBeLessThan(1000);

      holdLoop(1300);
      const after = await fetch(url);
      const body = (await after.json()) as { status: string; eventLoopBlockedMs: number };
      expect(after.status).toBe(503);
      expect(body.status).toBe('blocked');
      expect(body.eventLoopBlockedMs).toBeGreaterThan(1000);

      await sleep(2000);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await closeServer(server);
    }
  });

  it('counts shorter holds too, but keeps only those within its window', async () => {
    const watch = new EventLoopWatch({ windowMs: 1500, tickMs: 50 });
    watches.push(watch);
    holdLoop(1200);
    await sleep(120);
    expect(watch.longestBlockMs()).toBeGreaterThan(1000);
    await sleep(2500);
    expect(watch.longestBlockMs()).toBeLessThan(800);
  });
});
