import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export { Counter, Histogram, Registry } from 'prom-client';

/** Route label of requests no route matched (404s, middleware answers): never the raw URL, which carries ids. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Fetches extra text exposition appended to the registry's (the Temporal SDK's metrics on the workers). */
export type ExtraMetrics = () => Promise<string>;

/** One registry per process with the default Node.js process metrics, labelled with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Answers `GET /metrics` with the registry in the Prometheus text exposition format (plus whatever `extra` returns,
 * e.g. the Temporal SDK's own exporter) and returns true; returns false for any other request, like `healthHandler`.
 */
export function metricsHandler(registry: Registry, extra?: ExtraMetrics) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') return false;
    Promise.all([registry.metrics(), extra ? extra().catch(() => '') : Promise.resolve('')]).then(
      ([own, more]) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(more ? `${own.endsWith('\n') ? own : `${own}\n`}${more}` : own);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics collection failed: ${String(err)}\n`);
      },
    );
    return true;
  };
}

/** The route an express request matched (minimal shape, so this package needs no express types). */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * Express middleware factory recording `esign_http_request_duration_seconds{method,route,status}`. `route` is the
 * matched route pattern with its routers' mount paths (`/enterprise/sign/orders/:orderId`), captured when express
 * assigns `req.route` (its mount path is then still set); requests no route answered are `unmatched`.
 */
export function httpMetrics(registry: Registry) {
  const histogram = new Histogram({
    name: 'esign_http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, matched route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const start = process.hrtime.bigint();
    const route = matchedRoute(req);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      histogram.observe({ method: req.method ?? 'UNKNOWN', route: route(), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}

const routes = new WeakMap<IncomingMessage, () => string>();

/**
 * The matched route pattern of a request, with its routers' mount paths, captured when express assigns `req.route`
 * (its mount path is then still set); `unmatched` when no route answered. One capture per request, shared by the
 * metrics and the trace span.
 */
export function matchedRoute(req: IncomingMessage): () => string {
  const known = routes.get(req);
  if (known) return known;
  const routed = req as RoutedRequest;
  let route: string | undefined;
  let current: RoutedRequest['route'];
  Object.defineProperty(routed, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: RoutedRequest['route']) => {
      current = value;
      route = routeLabel(routed.baseUrl, value?.path);
    },
  });
  const label = () => route ?? UNMATCHED_ROUTE;
  routes.set(req, label);
  return label;
}

/** `baseUrl` + the route's pattern; a pattern that is not a plain string (regexp, array) is not used as a label. */
export function routeLabel(baseUrl: string | undefined, path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  const joined = `${baseUrl ?? ''}${path === '/' && baseUrl ? '' : path}`;
  return joined || '/';
}

export type DocumentDirection = 'in' | 'out';
export type DocumentKind = 'upload' | 'original' | 'result' | 'archive';
/** Counts document bytes received (`in`) or sent (`out`) by kind. */
export type DocumentBytes = (direction: DocumentDirection, kind: DocumentKind, bytes: number) => void;

/** `esign_document_bytes_total{direction,kind}` on the registry. */
export function documentBytesMetric(registry: Registry): DocumentBytes {
  const counter = new Counter({
    name: 'esign_document_bytes_total',
    help: 'Document bytes received (in) and sent (out) by kind (upload, original, result, archive).',
    labelNames: ['direction', 'kind'] as const,
    registers: [registry],
  });
  return (direction, kind, bytes) => {
    if (bytes > 0) counter.inc({ direction, kind }, bytes);
  };
}
