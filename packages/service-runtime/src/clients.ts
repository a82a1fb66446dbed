import type { Config } from '@esign/config';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Redis } from 'ioredis';
import * as Minio from 'minio';

/** Redis client that fails fast while Redis is down (callers answer 503) and reconnects by itself. */
export function createRedis(config: Config, onError: (err: Error) => void): Redis {
  const redis = new Redis(config.redis.url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: false,
  });
  redis.on('error', onError);
  return redis;
}

export function createS3(config: Config): Minio.Client {
  const { endPoint, port, useSSL, region, accessKey, secretKey } = config.s3;
  // region set explicitly: otherwise minio asks the server for a bucket's region before every request.
  return new Minio.Client({ endPoint, port, useSSL, region, accessKey, secretKey, pathStyle: true });
}

export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace });
}

export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address });
}
