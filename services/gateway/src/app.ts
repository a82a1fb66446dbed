import { ArchiveStore } from '@esign/archive-store';
import type { Config } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { OrderStore } from '@esign/order-store';
import type { Logger } from '@esign/observability';
import {
  API_ANSWER_HEADERS,
  createMetricsRegistry,
  documentBytesMetric,
  operatorEndpoints,
  redisCheck,
  s3BucketsCheck,
  temporalCheck,
  type Registry,
} from '@esign/service-runtime';
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
  /** The process's Prometheus registry, served on `/metrics` (one is created when absent). */
  registry?: Registry;
}

/** The express app: thin, holds no order state; every route delegates to Temporal, Redis or S3. */
export function createGateway(deps: GatewayDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  // API answers are `no-store`: an ETag (a hash of every body) would never be used.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(traceId);
  // `/metrics` is open (no merchant auth), like the health endpoints: keep it off the public ingress.
  const registry = deps.registry ?? createMetricsRegistry('gateway');
  app.use(
    operatorEndpoints('gateway', registry, {
      temporal: temporalCheck(deps.temporal.connection),
      redis: redisCheck(deps.redis),
      s3: s3BucketsCheck(deps.s3, [config.s3.buckets.documents]),
    }),
  );
  if (config.auth.proxyTarget) app.use('/auth/open', authProxy(config.auth.proxyTarget));
  // Every answer of this server (the proxied identity pages bring their own): nothing in it is a page to render,
  // frame, sniff, cache or refer from; the docs page sets the CSP it needs, the OpenAPI document and the docs
  // assets their caching.
  app.use((_req, res, next) => {
    res.set(API_ANSWER_HEADERS);
    next();
  });
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
    apiRouter({
      ...deps,
      store,
      orders,
      archive,
      verifyToken: deps.verifyToken ?? createTokenVerifier(config.auth),
      documentBytes: documentBytesMetric(registry),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
