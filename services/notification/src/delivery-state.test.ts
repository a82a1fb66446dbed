import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryLedger } from './delivery-state.js';

// A private redis-server on a unix socket, restarted mid-test on the same socket and append-only file: the moment a
// provider has taken a message and Redis is briefly gone must not leave the delivery's claim unresolved.
describe('DeliveryLedger', () => {
  let dir: string;
  let socket: string;
  let server: ChildProcess;
  let redis: Redis;
  const start = () =>
    spawn(
      'redis-server',
      ['--port', '0', '--unixsocket', socket, '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore' },
    );
  const stop = async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'delivery-ledger-'));
    socket = join(dir, 'redis.sock');
    server = start();
    redis = new Redis({ path: socket, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    if (server?.exitCode === null) await stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records a send made just before Redis went away, once Redis is back', async () => {
    const ledger = new DeliveryLedger({ redis, keyPrefix: 'test:' });
    const claim = await ledger.claim('m1', 'delivery-1', new Date());
    expect(claim.claimed).toBe(true);
    await stop(); // the provider has just taken the message
    const marking = ledger.markSent('m1', 'delivery-1', new Date('2026-11-29T10:00:00Z'), 'provider-1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server = start();
    await marking;
    expect(await ledger.get('m1', 'delivery-1')).toEqual({
      state: 'sent',
      at: '2026-11-29T10:00:00.000Z',
      providerId: 'provider-1',
    });
  });

  it('gives up after its patience when Redis stays away', async () => {
    const ledger = new DeliveryLedger({ redis, keyPrefix: 'test:' });
    await stop();
    await expect(ledger.markSent('m1', 'delivery-2', new Date(), undefined, 500)).rejects.toThrow();
    server = start();
  });
});
