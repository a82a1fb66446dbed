import { createServer, type RequestListener } from 'node:http';
import { loadConfig, type Config } from '@esign/config';
import { createLogger, type Logger } from '@esign/observability';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { redisCheck, s3BucketsCheck, temporalCheck } from './checks.js';
import { answerClientErrors } from './client-errors.js';
import { connectTemporalClient, createRedis, createS3 } from './clients.js';
import { closeServer, listen, startHealthServer } from './health-server.js';
import { createMetricsRegistry, metricsHandler, type Registry } from './metrics.js';
import { onShutdown } from './shutdown.js';
import { startTracing, stopTracing } from './tracing.js';

export interface HttpServiceDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
  /** The process's registry: the app records into it, the operator port serves it on `/metrics`. */
  registry: Registry;
}

/**
 * Runs one HTTP service (the gateway, the signing portal): config, tracing, logger, the Redis, S3 and Temporal clients,
 * the app on its public port, `/healthz`, `/readyz`, `/metrics` and the service's `operator` routes on its operator
 * port (never routed publicly), and a graceful shutdown on SIGTERM/SIGINT (servers first, then the clients, then the
 * spans). Both services depend on the same three things, so readiness checks those.
 */
export async function runHttpService(opts: {
  service: string;
  port: (config: Config) => number;
  operatorPort: (config: Config) => number;
  app: (deps: HttpServiceDeps) => RequestListener;
  /** Operator-only routes (the gateway's diagnostics): answered on the operator port after health and metrics. */
  operator?: (deps: HttpServiceDeps) => RequestListener;
}): Promise<void> {
  const config = loadConfig();
  startTracing(opts.service);
  const logger = createLogger({ service: opts.service, level: config.logLevel });
  const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const s3 = createS3(config);
  const temporal = await connectTemporalClient(config, redis);
  const deps = { config, logger, temporal, redis, s3, registry: createMetricsRegistry(opts.service) };
  const server = createServer(opts.app(deps));
  answerClientErrors(server);
  const port = opts.port(config);
  await listen(server, config.host, port);
  logger.info({ port }, `${opts.service} listening`);
  const operator = await startHealthServer({
    maxBlockMs: config.healthMaxBlockMs,
    host: config.host,
    port: opts.operatorPort(config),
    service: opts.service,
    logger,
    metrics: metricsHandler(deps.registry),
    checks: {
      temporal: temporalCheck(temporal.connection),
      redis: redisCheck(redis),
      s3: s3BucketsCheck(s3, [config.s3.buckets.documents]),
    },
    fallback: opts.operator?.(deps),
  });
  onShutdown(logger, [
    () => Promise.all([closeServer(server), operator.close()]),
    () => temporal.connection.close(),
    () => redis.quit(),
    stopTracing,
  ]);
}
