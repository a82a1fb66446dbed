import { API_ANSWER_HEADERS } from '@esign/service-runtime';
import type { Express } from 'express';
import type { GatewayDeps } from './app.js';
import { bareApp } from './bare-app.js';
import { codecRoutes } from './codec/routes.js';
import { errorHandler, notFoundHandler, retryAfterOf } from './problem.js';
import { diagnosticRoutes } from './routes/diagnostics.js';

/**
 * The gateway's operator-only routes, served on its operator port after `/healthz`, `/readyz` and `/metrics`
 * (runHttpService): the operators' codec server (`/codec`), the diagnostic round trip when DIAGNOSTICS_ENABLED,
 * else nothing but problem+json 404s.
 */
export function createOperatorRoutes(deps: Pick<GatewayDeps, 'config' | 'logger' | 'temporal' | 'redis'>): Express {
  const app = bareApp();
  app.use((_req, res, next) => {
    res.set(API_ANSWER_HEADERS);
    next();
  });
  app.use('/codec', codecRoutes(deps));
  if (deps.config.gateway.diagnosticsEnabled) app.use('/diagnostics', diagnosticRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger, retryAfterOf(deps.config)));
  return app;
}
