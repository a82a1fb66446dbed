import { request } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpProblem } from '../problem.js';

/**
 * Forwards `/auth/open/*` unchanged to the identity service, so a merchant uses one origin for tokens and API
 * (the dev stack's setup). Forwarded headers let the provider advertise the public origin in its discovery.
 */
export function authProxy(target: string): RequestHandler {
  const upstream = new URL(target);
  return (req, res, next) => {
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.originalUrl,
        headers: {
          ...req.headers,
          host: upstream.host,
          'x-forwarded-host': req.headers.host ?? '',
          'x-forwarded-proto': req.protocol,
          'x-forwarded-for': req.socket.remoteAddress ?? '',
        },
        timeout: 10_000,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('identity service timed out')));
    outgoing.on('error', () => {
      if (!res.headersSent) {
        next(
          new HttpProblem(503, 'Service Unavailable', 'The token service is unavailable.', undefined, {
            'Retry-After': '5',
          }),
        );
      } else res.destroy();
    });
    req.pipe(outgoing);
  };
}
