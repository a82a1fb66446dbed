import type { ArchiveStore } from '@esign/archive-store';
import type { DocumentStore } from '@esign/document-store';
import type { CreationReservations, OrderReader, OrderStore } from '@esign/order-store';
import type { DocumentBytes } from '@esign/service-runtime';
import { orderHandlers } from './orders/routes.js';
import { Router } from 'express';
import { archiveHandlers } from './archive/routes.js';
import type { GatewayDeps } from './app.js';
import { authenticate } from './auth/authenticate.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import { ExpiryTimers } from './documents/expiry-timers.js';
import { documentHandlers } from './documents/routes.js';
import { jsonBody } from './middleware/json-body.js';
import { rateLimit } from './middleware/rate-limit.js';
import { addOpenApiRoutes } from './openapi/routes.js';
import { addOperationRoutes, servedOperations, type OperationHandlers } from './operations.js';

export type ApiDeps = GatewayDeps & {
  store: DocumentStore;
  orders: OrderStore;
  reservations: CreationReservations;
  reader: OrderReader;
  archive: ArchiveStore;
  verifyToken: TokenVerifier;
  /** Counts document bytes in and out (`esign_document_bytes_total`). */
  documentBytes?: DocumentBytes;
};

/** The handler of every operation this server implements, by operationId. */
export function operationHandlers(deps: ApiDeps): OperationHandlers {
  const expiryTimers = new ExpiryTimers(deps.temporal);
  return {
    ...documentHandlers({ ...deps, expiryTimers, basePath: deps.config.apiBasePath }),
    ...orderHandlers(deps),
    ...archiveHandlers(deps),
  };
}

/**
 * The public API under the base path: the OpenAPI document and docs page in the open, then everything after
 * `authenticate` acts for the token's merchant only, counted per merchant, with JSON bodies parsed strictly.
 */
export function apiRouter(deps: ApiDeps): Router {
  const { config } = deps;
  const handlers = operationHandlers(deps);
  const router = Router();
  // The security and caching headers are set for every answer by the app (createGateway), ahead of this router.
  addOpenApiRoutes(router, config, servedOperations(handlers));
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
  router.use(jsonBody(config.gateway.jsonBodyLimit));
  addOperationRoutes(router, handlers);
  return router;
}
