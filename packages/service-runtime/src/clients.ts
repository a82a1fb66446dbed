import { readFileSync } from 'node:fs';
import type { Config } from '@esign/config';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Redis } from 'ioredis';
import * as Minio from 'minio';
import { payloadEncryption, temporalDataConverter } from './payload-encryption.js';
import { createGuard, type DependencyName, type GuardOptions } from './dependency-guard.js';
import { guardRedis, guardS3, idleDeadlineAgent } from './guarded-clients.js';
import { temporalInterceptors } from './temporal-deadlines.js';
import { temporalPlugins } from './tracing.js';

/** The deadline and breaker of one dependency, from config. */
export function dependencyGuard(
  config: Config,
  dependency: DependencyName,
  deadlineMs: number,
  extra: Pick<GuardOptions, 'queues'> = {},
) {
  return createGuard(dependency, { deadlineMs, ...config.breaker, ...extra });
}

/**
 * Redis client that fails fast while Redis is down or hangs (callers answer 503) and reconnects by itself: every
 * command runs under REDIS_DEADLINE_SECONDS and the Redis breaker (dependency-guard.ts).
 */
export function createRedis(config: Config, onError: (err: Error) => void): Redis {
  const deadlineMs = config.deadlines.redisMs;
  const redis = new Redis(config.redis.url, {
    maxRetriesPerRequest: 1,
    connectTimeout: deadlineMs,
    commandTimeout: deadlineMs,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: false,
    // Commands issued in the same tick by concurrent requests go out in one write (one system call).
    enableAutoPipelining: true,
  });
  redis.on('error', onError);
  return guardRedis(redis, dependencyGuard(config, 'Redis', deadlineMs, { queues: true }));
}

/** S3 part size: the most one streamed upload holds in memory (5 MiB is the smallest part S3 allows). */
export const S3_PART_SIZE = 5 * 1024 * 1024;

export function createS3(config: Config): Minio.Client {
  const { endPoint, port, useSSL, region, accessKey, secretKey } = config.s3;
  // region set explicitly: otherwise minio asks the server for a bucket's region before every request. partSize
  // set explicitly: otherwise an upload of unknown size is buffered in parts of hundreds of megabytes. Every socket
  // fails after S3_DEADLINE_SECONDS without a byte moving, and every call runs under the S3 breaker.
  const deadlineMs = config.deadlines.s3Ms;
  const client = new Minio.Client({
    endPoint,
    port,
    useSSL,
    region,
    accessKey,
    secretKey,
    pathStyle: true,
    partSize: S3_PART_SIZE,
    transportAgent: idleDeadlineAgent(useSSL, deadlineMs),
  });
  return guardS3(client, dependencyGuard(config, 'S3 storage', deadlineMs));
}

/** Address, TLS (CA, client certificate, server name) and API key for a Temporal connection, from config. */
function temporalConnectionOptions(config: Config) {
  const { address, tls, apiKey } = config.temporal;
  const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const cert = file(tls?.certPath);
  const key = file(tls?.keyPath);
  return {
    address,
    ...(tls
      ? {
          tls: {
            ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
            ...(tls.caPath ? { serverRootCACertificate: file(tls.caPath) } : {}),
            ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
          },
        }
      : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

/**
 * A Temporal client whose payloads are encrypted (payload-encryption.ts): orders' data keys are read from, and made
 * in, `redis`, which the caller owns and closes. Its calls run under TEMPORAL_DEADLINE_SECONDS
 * (TEMPORAL_WAIT_DEADLINE_SECONDS) and the breaker.
 */
export async function connectTemporalClient(config: Config, redis: Redis): Promise<Client> {
  const { temporalMs: callMs, temporalWaitMs: waitMs } = config.deadlines;
  const connection = await Connection.connect({
    ...temporalConnectionOptions(config),
    interceptors: temporalInterceptors({ callMs, waitMs }, dependencyGuard(config, 'Temporal', callMs)),
  });
  const dataConverter = temporalDataConverter(payloadEncryption(config, redis));
  return new Client({ connection, namespace: config.temporal.namespace, plugins: temporalPlugins(), dataConverter });
}

export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}
