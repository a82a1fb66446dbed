import { createServer, type RequestListener } from 'node:http';
import { loadConfig, type Config } from '@esign/config';
import { createLogger, type Logger } from '@esign/observability';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { answerClientErrors } from './client-errors.js';
import { connectTemporalClient, createRedis, createS3 } from './clients.js';
import { closeServer, listen } from './health-server.js';
import { onShutdown } from './shutdown.js';
import { startTracing, stopTracing } from './tracing.js';

export interface HttpServiceDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
}

/**
 * Runs one HTTP service (the gateway, the signing portal): config, tracing, logger, the Redis, S3 and Temporal clients,
 * the app on its port, and a graceful shutdown on SIGTERM/SIGINT (server first, then the clients, then the spans).
 */
export async function runHttpService(opts: {
  service: string;
  port: (config: Config) => number;
  app: (deps: HttpServiceDeps) => RequestListener;
}): Promise<void> {
  const config = loadConfig();
  startTracing(opts.service);
  const logger = createLogger({ service: opts.service, level: config.logLevel });
  const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const s3 = createS3(config);
  const temporal = await connectTemporalClient(config);
  const server = createServer(opts.app({ config, logger, temporal, redis, s3 }));
  answerClientErrors(server);
  const port = opts.port(config);
  await listen(server, config.host, port);
  logger.info({ port }, `${opts.service} listening`);
  onShutdown(logger, [() => closeServer(server), () => temporal.connection.close(), () => redis.quit(), stopTracing]);
}
