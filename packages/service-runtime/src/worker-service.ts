import type { Config } from '@esign/config';
import { createLogger, type Logger } from '@esign/observability';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { temporalCheck, type Check } from './checks.js';
import { connectWorkerConnection } from './clients.js';
import { startHealthServer } from './health-server.js';

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
}

/**
 * Runs one Temporal worker with health endpoints until SIGTERM/SIGINT (the Temporal runtime's own signal handling
 * starts the worker's drain), then closes the health server, the service's clients and the connection.
 */
export async function runWorkerService(opts: WorkerServiceOptions): Promise<void> {
  const logger = opts.logger ?? createLogger({ service: opts.service, level: opts.config.logLevel });
  const connection = await connectWorkerConnection(opts.config);
  const worker = await Worker.create({
    ...opts.worker,
    connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue,
  });
  const health = await startHealthServer({
    host: opts.config.host,
    port: opts.healthPort,
    service: opts.service,
    logger,
    checks: {
      ...opts.checks,
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
  }
}
