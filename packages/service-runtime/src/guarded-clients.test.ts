import { createServer, type Server, type Socket } from 'node:net';
import { loadConfig } from '@esign/config';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, createS3, dependencyGuard } from './clients.js';
import { DependencyUnavailable } from './dependency-guard.js';
import { dependencyOutage } from './dependency-outage.js';
import { temporalInterceptors } from './temporal-deadlines.js';

/** A stand-in for a hung server: it accepts every connection and never answers a byte. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How long the caller would wait at most: far beyond every deadline below. */
const CLIENT_PATIENCE_MS = 10_000;

function settleWithin<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = Date.now();
  const patience = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('still waiting at the client timeout')), CLIENT_PATIENCE_MS).unref(),
  );
  return Promise.race([p, patience]).then(
    (value) => ({ value, ms: Date.now() - started }),
    (error: unknown) => ({ error, ms: Date.now() - started }),
  );
}

describe('deadlines against a server that accepts and never answers', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => {
    silent = await silentServer();
  });
  afterAll(() => silent.close());

  const configFor = () =>
    loadConfig({
      REDIS_URL: `redis://127.0.0.1:${silent.port}`,
      S3_ENDPOINT: `http://127.0.0.1:${silent.port}`,
      TEMPORAL_ADDRESS: `127.0.0.1:${silent.port}`,
      REDIS_DEADLINE_SECONDS: '0.3',
      S3_DEADLINE_SECONDS: '0.3',
      TEMPORAL_DEADLINE_SECONDS: '0.3',
      DEPENDENCY_BREAKER_HALF_OPEN_SECONDS: '30',
    });

  it('Redis: the command fails as Redis unavailable, and the next one is refused at once', async () => {
    const redis = createRedis(configFor(), () => undefined);
    try {
      const first = await settleWithin(redis.get('k'));
      expect(first.error).toBeInstanceOf(DependencyUnavailable);
      expect(first.error).toMatchObject({ dependency: 'Redis', retryAfterSeconds: 30 });
      const second = await settleWithin(redis.set('k', 'v'));
      expect(second.error).toMatchObject({ dependency: 'Redis', reason: 'circuit-open' });
      const multi = await settleWithin(redis.multi().set('a', '1').exec());
      expect(multi.error).toMatchObject({ dependency: 'Redis', reason: 'circuit-open' });
    } finally {
      redis.disconnect();
    }
  });

  it('Redis: commands queued behind a hung one fail with it, not one deadline later', async () => {
    // ioredis sends a command issued while an earlier pipeline is still waiting only after that one settles, so its
    // own deadline starts late: behind a hung Redis a request's second command waited two deadlines, its third three.
    const redis = createRedis(configFor(), () => undefined);
    try {
      const first = settleWithin(redis.get('a'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      let queuedSettled = false;
      const queued = settleWithin(redis.get('b')).finally(() => (queuedSettled = true));
      expect((await first).error).toMatchObject({ dependency: 'Redis', reason: 'deadline' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(queuedSettled).toBe(true);
      expect((await queued).error).toMatchObject({ dependency: 'Redis' });
    } finally {
      redis.disconnect();
    }
  });

  it('S3: a request fails as S3 unavailable, and the next one is refused at once', async () => {
    const s3 = createS3(configFor());
    const stat = await settleWithin(s3.statObject('bucket', 'key'));
    expect(stat.error).toMatchObject({ dependency: 'S3 storage', reason: 'deadline' });
    const put = await settleWithin(s3.putObject('bucket', 'key', Buffer.from('x')));
    expect(put.error).toMatchObject({ dependency: 'S3 storage', reason: 'circuit-open' });
  });

  it('S3: a streamed upload is cut by the idle deadline of its socket', async () => {
    const config = configFor();
    const { Readable } = await import('node:stream');
    // A fresh breaker: the idle deadline alone ends the transfer.
    const s3 = createS3({ ...config, breaker: { failures: 5, halfOpenMs: 30_000 } });
    const body = Readable.from([Buffer.alloc(1024)]);
    const put = await settleWithin(s3.putObject('bucket', 'key', body));
    expect(put.error).toMatchObject({ dependency: 'S3 storage', reason: 'deadline' });
  });

  it('Temporal: a call fails with DEADLINE_EXCEEDED, named Temporal, and the breaker then refuses at once', async () => {
    const config = configFor();
    const guard = dependencyGuard(config, 'Temporal', config.deadlines.temporalMs);
    const connection = Connection.lazy({
      address: config.temporal.address,
      interceptors: temporalInterceptors({ callMs: 300, waitMs: 300 }, guard),
    });
    const client = new Client({ connection });
    try {
      const start = () =>
        client.workflow.start('anything', { taskQueue: 'nowhere', workflowId: `w-${Date.now()}`, args: [] });
      const first = await settleWithin(start());
      expect(dependencyOutage(first.error, 2)).toEqual({ dependency: 'Temporal', retryAfterSeconds: 2 });
      expect(guard.state()).toBe('open');
      const second = await settleWithin(client.workflow.getHandle('w').describe());
      expect(dependencyOutage(second.error, 2)).toEqual({ dependency: 'Temporal', retryAfterSeconds: 2 });
      // Refused by the open breaker before anything was sent.
      expect((second.error as { cause?: { details?: string } }).cause?.details).toBe('Temporal is unavailable');
    } finally {
      await connection.close();
    }
  });
});
