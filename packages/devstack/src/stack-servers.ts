import { join } from 'node:path';
import type { PkiSetup } from './pki/stack-pki.js';
import type { ManagedProcess } from './process.js';
import { startMaildev } from './servers/maildev.js';
import { startRedis } from './servers/redis.js';
import { startSeaweedfs } from './servers/seaweedfs.js';
import { startTemporal } from './servers/temporal.js';
import type { ServerName, StackOptions } from './stack-types.js';

/**
 * Like Promise.all, but waits for every server to settle; when one failed, the ones that did start are stopped
 * again, so none is left running unseen.
 */
export async function allOrStop<T extends readonly { process: ManagedProcess }[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<T[number]>).value) as unknown as T;
  for (const r of results) if (r.status === 'fulfilled') await r.value.process.stop();
  throw failed.reason;
}

/** Each server's start, kept so one can be started again alone on the same port and data dir. */
export function serverStarters(o: StackOptions, logDir: string, pkiSetup: PkiSetup) {
  return {
    temporal: () =>
      startTemporal({
        dataDir: join(o.dataDir, 'temporal'),
        logDir,
        port: o.ports.temporal,
        uiPort: o.ports.temporalUi,
        // The operators' codec server, on the gateway's operator port.
        codecEndpoint: `http://127.0.0.1:${o.ports.gatewayOperator}/codec`,
      }),
    seaweedfs: () =>
      startSeaweedfs({
        dataDir: join(o.dataDir, 'seaweedfs'),
        logDir,
        port: o.ports.s3,
        accessKey: o.s3.accessKey,
        secretKey: o.s3.secretKey,
        buckets: [o.s3.buckets.documents, o.s3.buckets.archive],
      }),
    redis: () =>
      startRedis({ dataDir: join(o.dataDir, 'redis'), logDir, port: o.ports.redis, persistent: o.persistentRedis }),
    maildev: () =>
      startMaildev({ dataDir: join(o.dataDir, 'mail'), logDir, smtpPort: o.ports.smtp, webPort: o.ports.mailUi }),
    certomancer: () => pkiSetup.start(),
  } satisfies Record<ServerName, () => Promise<{ process: ManagedProcess }>>;
}
