import type { Config } from '@esign/config';
import { createLogger, type Logger } from '@esign/observability';
import type { PayloadEncryption } from '@esign/payload-codec';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { Redis } from 'ioredis';
import { redisCheck, temporalCheck, type Check } from './checks.js';
import { connectWorkerConnection, createRedis } from './clients.js';
import { heartbeating } from './heartbeat.js';
import { payloadEncryption, temporalDataConverter } from './payload-encryption.js';
import { startHealthServer } from './health-server.js';
import { createMetricsRegistry, metricsHandler, type Registry } from './metrics.js';
import { installTemporalMetrics } from './temporal-metrics.js';
import { startTracing, stopTracing, temporalPlugins } from './tracing.js';

/** Activity task polls a worker keeps open (the SDK's default is 10). */
export const ACTIVITY_TASK_POLLS = 2;

export interface WorkerServiceOptions {
  service: string;
  config: Config;
  healthPort: number;
  taskQueue: string;
  /** Activities or workflow options for this worker. */
  worker: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue'>;
  /** Readiness checks of the service's own dependencies (Temporal and the worker state are added). */
  checks?: Record<string, Check>;
  /** Closes the service's own clients after the worker has drained. */
  close?: () => Promise<void>;
  logger?: Logger;
  /** The process's metrics registry (the service's own metrics); one is created when absent. */
  registry?: Registry;
  /** Export the Temporal SDK's worker metrics on `/metrics` (default true). */
  temporalMetrics?: boolean;
  /**
   * Where orders' payload data keys are read (payload encryption): the service's own Redis client, or — for a
   * service without one, the orchestrator — a client made, checked and closed here.
   */
  redis?: Redis;
  /** The payload encryption the service's activities share with the worker (document-storage destroys keys). */
  encryption?: PayloadEncryption;
}

/**
 * Runs one Temporal worker (every activity heartbeating while it runs) with health and metrics endpoints until SIGTERM/SIGINT (the Temporal runtime's own
 * signal handling starts the worker's drain), then closes the health server, the service's clients and the
 * connection. `/metrics` serves the registry followed by the Temporal SDK's worker metrics.
 */
export async function runWorkerService(opts: WorkerServiceOptions): Promise<void> {
  const logger = opts.logger ?? createLogger({ service: opts.service, level: opts.config.logLevel });
  const registry = opts.registry ?? createMetricsRegistry(opts.service);
  // Before the connection: the runtime is installed once, ahead of any native connection or worker.
  const temporalMetrics =
    opts.temporalMetrics === false ? undefined : await installTemporalMetrics(opts.service, logger);
  startTracing(opts.service);
  const ownRedis = opts.redis
    ? undefined
    : createRedis(opts.config, (err) => logger.warn({ err: err.message }, 'redis'));
  const encryption = opts.encryption ?? payloadEncryption(opts.config, (opts.redis ?? ownRedis)!, { worker: true });
  const connection = await connectWorkerConnection(opts.config);
  const worker = await Worker.create({
    // Few open activity polls: a worker that freezes holds on to what they were handed (each attempt lost for its
    // heartbeat timeout), so it should hold few. Two still take tasks as fast as a local Temporal hands them out.
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: ACTIVITY_TASK_POLLS },
    ...opts.worker,
    // Every activity heartbeats, so an attempt on a frozen or dead worker moves on at its heartbeat timeout.
    ...(opts.worker.activities ? { activities: heartbeating(opts.worker.activities) } : {}),
    dataConverter: temporalDataConverter(encryption),
    // A prebuilt workflow bundle carries the tracing plugin's workflow interceptors only when it was built with
    // them (`tracingWorkflowModules`, as the orchestrator does while tracing is on); the plugin still registers the
    // sink those interceptors export through, and traces the activities (the SDK warns that it cannot add
    // interceptor modules to a prebuilt bundle).
    plugins: [...(opts.worker.plugins ?? []), ...temporalPlugins()],
    connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue,
  });
  const health = await startHealthServer({
    maxBlockMs: opts.config.healthMaxBlockMs,
    host: opts.config.host,
    port: opts.healthPort,
    service: opts.service,
    logger,
    metrics: metricsHandler(registry, temporalMetrics),
    checks: {
      ...opts.checks,
      ...(ownRedis ? { redis: redisCheck(ownRedis) } : {}),
      temporal: temporalCheck(connection),
      worker: () => {
        const state = worker.getState();
        return state === 'RUNNING' ? Promise.resolve() : Promise.reject(new Error(`worker is ${state}`));
      },
    },
  });
  logger.info({ taskQueue: opts.taskQueue }, 'worker started');
  try {
    await worker.run();
  } finally {
    await health.close();
    await opts.close?.();
    await connection.close();
    ownRedis?.disconnect();
    await stopTracing();
  }
}
