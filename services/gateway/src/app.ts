import type { Config } from '@esign/config';
import type { Logger } from '@esign/observability';
import { redisCheck, s3BucketsCheck, temporalCheck } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { errorHandler, notFoundHandler } from './problem.js';
import { healthRoutes } from './routes/health.js';
import { diagnosticRoutes } from './routes/diagnostics.js';

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
}

/** The express app: thin, holds no order state; every route delegates to Temporal, Redis or S3. */
export function createGateway(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    healthRoutes({
      temporal: temporalCheck(deps.temporal.connection),
      redis: redisCheck(deps.redis),
      s3: s3BucketsCheck(deps.s3, [deps.config.s3.buckets.documents]),
    }),
  );
  if (deps.config.gateway.diagnosticsEnabled) app.use('/diagnostics', diagnosticRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
