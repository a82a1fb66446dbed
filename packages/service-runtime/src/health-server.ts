import { createServer, type Server } from 'node:http';
import type { Logger } from '@esign/observability';
import { runChecks, type Check } from './checks.js';

export interface HealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` answers 200 while the process is alive; `/readyz` runs the checks and answers 200 only when every
 * dependency is reachable (503 with the failing ones named otherwise). Used by the worker services, which have no
 * other HTTP surface.
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  service: string;
  checks: Record<string, Check>;
  logger: Logger;
}): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    if (req.url === '/healthz') return send(200, { status: 'ok', service: opts.service });
    if (req.url === '/readyz') {
      runChecks(opts.checks).then(
        (report) => send(report.ready ? 200 : 503, { service: opts.service, ...report }),
        (err: unknown) => send(503, { service: opts.service, ready: false, error: String(err) }),
      );
      return;
    }
    send(404, { error: 'not found' });
  });
  await listen(server, opts.host, opts.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.logger.info({ port }, 'health endpoints listening');
  return { server, port, close: () => closeServer(server) };
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
