import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@esign/observability';
import { runChecks, type Check } from './checks.js';
import { BLOCK_WINDOW_MS, eventLoopWatch, type EventLoopWatch } from './event-loop-watch.js';

export interface HealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` answers 200 while the process is alive and its event loop was not held longer than `maxBlockMs` within
 * the last minute; `/readyz` runs the checks and answers 200 only when every
 * dependency is reachable (503 with the failing ones named otherwise); `/metrics` when given a metrics handler. The
 * workers' only HTTP surface, and the HTTP services' operator port (with their operator-only routes as `fallback`).
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  service: string;
  checks: Record<string, Check>;
  logger: Logger;
  /** `/healthz` fails for a minute after the event loop was held longer than this (config `HEALTH_MAX_BLOCK_SECONDS`). */
  maxBlockMs: number;
  /** Answers `GET /metrics` (see `metricsHandler`); without it the server has no metrics endpoint. */
  metrics?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Answers every other request (e.g. the gateway's diagnostics); without it they get 404 or 405. */
  fallback?: RequestListener;
}): Promise<HealthServer> {
  const health = healthHandler(opts.service, opts.checks, { maxBlockMs: opts.maxBlockMs });
  const server = createServer((req, res) => {
    if (health(req, res) || opts.metrics?.(req, res)) return;
    if (opts.fallback) return void opts.fallback(req, res);
    res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: req.method === 'GET' ? 'not found' : 'method not allowed' }));
  });
  await listen(server, opts.host, opts.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.logger.info({ port }, 'health endpoints listening');
  return { server, port, close: () => closeServer(server) };
}

/**
 * Answers `GET /healthz` (alive: 200, or 503 `blocked` for a minute after the event loop was held longer than
 * `maxBlockMs`, so a loop blocked again and again is restarted although it answers the odd probe in between) and
 * `GET /readyz` (every check passes: 200, else 503 naming the failing ones) and returns true; returns false for any
 * other request. Worker health servers and the HTTP services share it.
 */
export function healthHandler(
  service: string,
  checks: Record<string, Check>,
  opts: { maxBlockMs: number; watch?: EventLoopWatch },
) {
  const watch = opts.watch ?? eventLoopWatch();
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') {
      const blockedMs = watch.longestBlockMs();
      if (blockedMs > opts.maxBlockMs) {
        send(503, { status: 'blocked', service, eventLoopBlockedMs: blockedMs, withinMs: BLOCK_WINDOW_MS });
      } else send(200, { status: 'ok', service, eventLoopBlockedMs: blockedMs });
    } else {
      runChecks(checks).then(
        (report) => send(report.ready ? 200 : 503, { service, ...report }),
        (err: unknown) => send(503, { service, ready: false, error: String(err) }),
      );
    }
    return true;
  };
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use`) : err);
    });
    server.listen(port, host, () => resolve());
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
