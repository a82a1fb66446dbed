import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@esign/observability';
import { runChecks, type Check } from './checks.js';

export interface HealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` answers 200 while the process is alive; `/readyz` runs the checks and answers 200 only when every
 * dependency is reachable (503 with the failing ones named otherwise); `/metrics` when given a metrics handler. The
 * workers' only HTTP surface, and the HTTP services' operator port (with their operator-only routes as `fallback`).
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  service: string;
  checks: Record<string, Check>;
  logger: Logger;
  /** Answers `GET /metrics` (see `metricsHandler`); without it the server has no metrics endpoint. */
  metrics?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Answers every other request (e.g. the gateway's diagnostics); without it they get 404 or 405. */
  fallback?: RequestListener;
}): Promise<HealthServer> {
  const health = healthHandler(opts.service, opts.checks);
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
 * Answers `GET /healthz` (alive) and `GET /readyz` (every check passes: 200, else 503 naming the failing ones) and
 * returns true; returns false for any other request. Worker health servers and the HTTP services share it.
 */
export function healthHandler(service: string, checks: Record<string, Check>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') send(200, { status: 'ok', service });
    else {
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
