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

const ROUTE = Symbol('route');
const ROUTE_LABEL = Symbol('routeLabel');
type Captured = RoutedRequest & { [ROUTE]?: RoutedRequest['route']; [ROUTE_LABEL]?: string };
const capturing = new WeakSet<object>();

/**
 * The matched route pattern of a request, with its routers' mount paths, captured when express assigns `req.route`
 * (its mount path is then still set); `unmatched` when no route answered. The capture is an accessor defined once on
 * the request's prototype (express gives every request of an app the app's one), not on each request: a per-request
 * accessor would give every request object a shape of its own, slowing every later property access express makes.
 */
export function matchedRoute(req: IncomingMessage): () => string {
  const proto = Object.getPrototypeOf(req) as object;
  if (!capturing.has(proto)) {
    capturing.add(proto);
    Object.defineProperty(proto, 'route', {
      configurable: true,
      enumerable: true,
      get(this: Captured) {
        return this[ROUTE];
      },
      set(this: Captured, value: RoutedRequest['route']) {
        this[ROUTE] = value;
        this[ROUTE_LABEL] = routeLabel(this.baseUrl, value?.path);
      },
    });
  }
  return () => (req as Captured)[ROUTE_LABEL] ?? UNMATCHED_ROUTE;
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

/**
 * Counts attempts that failed because an outside service did not answer (a TSA, an OCSP responder, a CRL), labelled
 * by that service: the seal and archive-renewal failure counters.
 */
export function dependencyFailuresMetric(registry: Registry, name: string, what: string): (service: string) => void {
  const counter = new Counter({
    name,
    help: `${what} that failed because a TSA, OCSP responder or CRL did not answer, by service.`,
    labelNames: ['service'] as const,
    registers: [registry],
  });
  return (service) => counter.inc({ service });
}
