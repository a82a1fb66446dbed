import { ArchiveStore } from '@esign/archive-store';
import type { Config } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { OrderStore } from '@esign/order-store';
import type { Logger } from '@esign/observability';
import { healthHandler, redisCheck, s3BucketsCheck, temporalCheck } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { apiRouter } from './api.js';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import { authProxy } from './middleware/auth-proxy.js';
import { traceId } from './middleware/trace-id.js';
import { errorHandler, notFoundHandler } from './problem.js';
import { diagnosticRoutes } from './routes/diagnostics.js';

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
  /** Token validation; defaults to the configured OIDC issuer's JWKS. */
  verifyToken?: TokenVerifier;
}

/** The express app: thin, holds no order state; every route delegates to Temporal, Redis or S3. */
export function createGateway(deps: GatewayDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(traceId);
  const health = healthHandler('gateway', {
    temporal: temporalCheck(deps.temporal.connection),
    redis: redisCheck(deps.redis),
    s3: s3BucketsCheck(deps.s3, [config.s3.buckets.documents]),
  });
  app.use((req, res, next) => {
    if (!health(req, res)) next();
  });
  if (config.auth.proxyTarget) app.use('/auth/open', authProxy(config.auth.proxyTarget));
  if (config.gateway.diagnosticsEnabled) app.use('/diagnostics', diagnosticRoutes(deps));
  const store = new DocumentStore({
    s3: deps.s3,
    redis: deps.redis,
    bucket: config.s3.buckets.documents,
    keyPrefix: config.redis.keyPrefix,
  });
  const orders = new OrderStore({ redis: deps.redis, keyPrefix: config.redis.keyPrefix });
  const archive = new ArchiveStore({
    s3: deps.s3,
    redis: deps.redis,
    bucket: config.s3.buckets.archive,
    keyPrefix: config.redis.keyPrefix,
  });
  app.use(
    config.apiBasePath,
    apiRouter({ ...deps, store, orders, archive, verifyToken: deps.verifyToken ?? createTokenVerifier(config.auth) }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
