import { readFileSync } from 'node:fs';
import type { Config } from '@esign/config';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Redis } from 'ioredis';
import * as Minio from 'minio';
import { payloadEncryption, temporalDataConverter } from './payload-encryption.js';
import { temporalPlugins } from './tracing.js';

/** Redis client that fails fast while Redis is down (callers answer 503) and reconnects by itself. */
export function createRedis(config: Config, onError: (err: Error) => void): Redis {
  const redis = new Redis(config.redis.url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: false,
    // Commands issued in the same tick by concurrent requests go out in one write (one system call).
    enableAutoPipelining: true,
  });
  redis.on('error', onError);
  return redis;
}

/** S3 part size: the most one streamed upload holds in memory (5 MiB is the smallest part S3 allows). */
export const S3_PART_SIZE = 5 * 1024 * 1024;

export function createS3(config: Config): Minio.Client {
  const { endPoint, port, useSSL, region, accessKey, secretKey } = config.s3;
  // region set explicitly: otherwise minio asks the server for a bucket's region before every request. partSize
  // set explicitly: otherwise an upload of unknown size is buffered in parts of hundreds of megabytes.
  return new Minio.Client({
    endPoint,
    port,
    useSSL,
    region,
    accessKey,
    secretKey,
    pathStyle: true,
    partSize: S3_PART_SIZE,
  });
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
 * in, `redis`, which the caller owns and closes.
 */
export async function connectTemporalClient(config: Config, redis: Redis): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const dataConverter = temporalDataConverter(payloadEncryption(config, redis));
  return new Client({ connection, namespace: config.temporal.namespace, plugins: temporalPlugins(), dataConverter });
}

export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}
