import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetricsRegistry, dependencyOutage, requestObservation } from '@esign/service-runtime';
import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { errorPage, statePage } from './pages.js';
import { createPortalContext, type PortalDeps } from './portal.js';
import { documentRoutes } from './routes/documents.js';
import { entryRoutes } from './routes/entry.js';
import { loginRoutes } from './routes/login.js';
import { otpRoutes } from './routes/otp.js';
import { forwardRoutes } from './routes/forward.js';
import { rejectRoutes } from './routes/reject.js';
import { signRoutes } from './routes/sign.js';
import { taskRoutes } from './routes/task.js';
import { uploadRoutes } from './routes/upload.js';

export type { PortalDeps } from './portal.js';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');
const PDFJS_DIR = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'build');

/** Security headers on every page: no framing, no sniffing, no referrer to other sites, a strict CSP. */
function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  const nonce = randomBytes(16).toString('base64');
  res.locals.nonce = nonce;
  res.set({
    // `same-origin`, not `no-referrer`: sign codes are in URLs, and `no-referrer` would blank our forms' Origin.
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data: https:; ` +
      `worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  next();
}

/**
 * The signing portal (contract §6-7): server-rendered pages for one signer's task, opened from `taskUrl` or
 * `signCodeUrl`, in rooms (`routes/`: entry, task, documents, log-in, one-time code, sign, upload, reject, forward). Sessions
 * live in Redis (30 minutes idle), every form carries a CSRF token, and every signer action goes to the task's
 * workflow as an Update; the portal itself decides nothing about the task.
 */
export function createPortal(deps: PortalDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // The signer's address (per-address limits, the evidence) as the configured proxies report it (PORTAL_TRUST_PROXY).
  app.set('trust proxy', deps.config.portal.trustProxy);
  // `/healthz`, `/readyz` and `/metrics` (this registry) are on the operator port (runHttpService), never here.
  const registry = deps.registry ?? createMetricsRegistry('signing-portal');
  const portal = createPortalContext(deps, registry);
  app.use(requestObservation('signing-portal', registry));

  // Static files first: cacheable for an hour (pdf.js alone is 1.7 MB), never sniffed, gzip-compressed when the browser
  // accepts it (pdf.js 1.7 MB → 0.5 MB); pages below are no-store and never compressed (a page holding a CSRF token
  // next to text a signer or merchant chose must not be, see BREACH).
  app.use('/static', compression({ threshold: 1024 }));
  const staticOptions = {
    index: false as const,
    maxAge: '1h',
    setHeaders: (res: Response) => res.set('X-Content-Type-Options', 'nosniff'),
  };
  app.use('/static/pdfjs', express.static(PDFJS_DIR, staticOptions));
  app.use('/static', express.static(STATIC_DIR, staticOptions));
  app.use(securityHeaders);

  for (const room of [entryRoutes, taskRoutes, documentRoutes, loginRoutes, otpRoutes, signRoutes, uploadRoutes]) {
    app.use(room(portal));
  }
  app.use(rejectRoutes(portal));
  app.use(forwardRoutes(portal));
  app.use((req: Request, res: Response) => statePage(portal, req, res, null, 'DELETED'));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A dependency down or hanging (its deadline, its open breaker): 503 with Retry-After, and a page to try again.
    const outage = dependencyOutage(err, Math.max(1, Math.ceil(portal.config.breaker.halfOpenMs / 1000)));
    const status = outage ? 503 : ((err as { status?: number; statusCode?: number }).status ?? 500);
    if (outage) portal.logger.warn({ dependency: outage.dependency }, 'dependency unavailable');
    else if (status >= 500)
      portal.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'portal error');
    if (res.headersSent) return;
    if (outage) res.set('Retry-After', String(outage.retryAfterSeconds));
    if (!res.locals.nonce) res.locals.nonce = '';
    errorPage(portal, req, res, null, (status >= 400 && status < 500) || status === 503 ? status : 500);
  });
  return app;
}
