import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { deathNotice, readyOrStopped, spawnManaged, type ManagedProcess } from '../process.js';
import { waitFor } from '../wait.js';

export interface RedisServer {
  process: ManagedProcess;
  url: string;
}

/** redis-server from apt, loopback only, with an append-only file when `persistent` (so data survives restarts). */
export async function startRedis(opts: {
  dataDir: string;
  logDir: string;
  port: number;
  persistent: boolean;
}): Promise<RedisServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    '--port',
    String(opts.port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--dir',
    opts.dataDir,
    '--save',
    '',
    '--appendonly',
    opts.persistent ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
  ];
  const proc = spawnManaged('redis', 'redis-server', args, { logFile: join(opts.logDir, 'redis.log') });
  const url = `redis://127.0.0.1:${opts.port}`;
  const aborted = deathNotice(proc);
  await readyOrStopped(proc, () =>
    waitFor(
      'Redis',
      async () => {
        const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        client.on('error', () => undefined);
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } finally {
          client.disconnect();
        }
      },
      { aborted },
    ),
  );
  return { process: proc, url };
}
