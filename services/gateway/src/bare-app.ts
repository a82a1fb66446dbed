import express, { type Express } from 'express';
import { traceId } from './middleware/trace-id.js';

/**
 * An express app as the gateway's public and operator apps start: no banner, no ETags (answers are `no-store`, a
 * hash of every body would never be used), no trust in forwarded headers, a trace id on every request.
 */
export function bareApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(traceId);
  return app;
}
