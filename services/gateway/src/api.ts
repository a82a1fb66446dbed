import type { DocumentStore } from '@esign/document-store';
import express, { Router } from 'express';
import type { GatewayDeps } from './app.js';
import { authenticate } from './auth/authenticate.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import { documentRoutes } from './documents/routes.js';
import { rateLimit } from './middleware/rate-limit.js';

export type ApiDeps = GatewayDeps & { store: DocumentStore; verifyToken: TokenVerifier };

/**
 * The public API under the base path. Everything after `authenticate` acts for the token's merchant only; the
 * rate limit counts per merchant; JSON bodies are parsed strictly and bounded.
 */
export function apiRouter(deps: ApiDeps): Router {
  const { config } = deps;
  const router = Router();
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  router.use(authenticate(deps.verifyToken));
  router.use(
    rateLimit({
      redis: deps.redis,
      keyPrefix: config.redis.keyPrefix,
      requests: config.rateLimit.requests,
      windowSeconds: config.rateLimit.windowSeconds,
      logger: deps.logger,
    }),
  );
  router.use(
    express.json({
      limit: config.gateway.jsonBodyLimit,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  router.use(documentRoutes({ ...deps, basePath: config.apiBasePath }));
  return router;
}
