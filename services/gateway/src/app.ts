import { ArchiveStore } from '@esign/archive-store';
import type { Config } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { CreationReservations, OrderReader, OrderStore } from '@esign/order-store';
import type { Logger } from '@esign/observability';
import {
  API_ANSWER_HEADERS,
  createMetricsRegistry,
  dependencyGuard,
  documentBytesMetric,
  guardOf,
  requestObservation,
  type Registry,
} from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { apiRouter } from './api.js';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import { bareApp } from './bare-app.js';
import { authProxy } from './middleware/auth-proxy.js';
import { errorHandler, notFoundHandler, retryAfterOf } from './problem.js';

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
  /** Token validation; defaults to the configured OIDC issuer's JWKS. */
  verifyToken?: TokenVerifier;
  /** The process's Prometheus registry, served on the operator port's `/metrics` (one is created when absent). */
  registry?: Registry;
}

/**
 * The public express app: the API, and the token proxy in the dev stack. Thin, holds no order state; every route
 * delegates to Temporal, Redis or S3. Health, metrics and diagnostics are on the operator port (operator.ts).
 */
export function createGateway(deps: GatewayDeps): Express {
  const { config } = deps;
  const app = bareApp();
  const registry = deps.registry ?? createMetricsRegistry('gateway');
  app.use(requestObservation('gateway', registry));
  if (config.auth.proxyTarget) {
    const { identityMs } = config.deadlines;
    app.use(
      '/auth/open',
      authProxy(config.auth.proxyTarget, dependencyGuard(config, 'identity provider', identityMs), identityMs),
    );
  }
  // Every answer of this server (the proxied identity pages bring their own): nothing in it is a page to render,
  // frame, sniff, cache or refer from; the docs page sets the CSP it needs, the OpenAPI document and the docs
  // assets their caching.
  app.use((_req, res, next) => {
    res.set(API_ANSWER_HEADERS);
    next();
  });
  const store = new DocumentStore({
    s3: deps.s3,
    s3Guard: guardOf(deps.s3),
    s3StallMs: config.deadlines.s3Ms,
    redis: deps.redis,
    bucket: config.s3.buckets.documents,
    keyPrefix: config.redis.keyPrefix,
  });
  const orders = new OrderStore({ redis: deps.redis, keyPrefix: config.redis.keyPrefix });
  const reservations = new CreationReservations({ redis: deps.redis, keyPrefix: config.redis.keyPrefix });
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
      reservations,
      reader: new OrderReader(orders, reservations),
      archive,
      verifyToken: deps.verifyToken ?? createTokenVerifier(config.auth, { deadlineMs: config.deadlines.identityMs }),
      documentBytes: documentBytesMetric(registry),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger, retryAfterOf(deps.config)));
  return app;
}
