import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { finished, Transform } from 'node:stream';
import type { Request, RequestHandler } from 'express';
import { HttpProblem } from '../problem.js';

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: never forwarded.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

/** The identity service (oidc-provider) reads at most 56 KiB of a request body; larger ones are refused here. */
export const MAX_TOKEN_BODY_BYTES = 56 * 1024;

const tooLarge = () =>
  new HttpProblem(413, 'Content Too Large', `A request body here may be at most ${MAX_TOKEN_BODY_BYTES} bytes.`);
const unavailable = () =>
  new HttpProblem(503, 'Service Unavailable', 'The token service is unavailable.', undefined, { 'Retry-After': '5' });

/**
 * Reads off (and drops) what is left of the request body, then answers: a client still sending would otherwise
 * have its connection reset under it and never see the answer. The server's request timeout bounds the wait.
 */
function afterBody(req: Request, answer: () => void): void {
  req.resume();
  if (req.complete) return answer();
  finished(req, () => answer());
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/**
 * Forwards `/auth/open/*` unchanged to the identity service, so a merchant uses one origin for tokens and API
 * (the dev stack's setup). Forwarded headers let the provider advertise the public origin in its discovery.
 *
 * Every request gets its own upstream connection: the identity service closes a connection after refusing a
 * body it would not read (one too large, say), and a pooled keep-alive connection closed that way would fail the
 * next, unrelated token request. Token requests are rare (a token lasts minutes), so the connect costs nothing.
 */
export function authProxy(target: string): RequestHandler {
  const upstream = new URL(target);
  return (req, res, next) => {
    // A body the identity service would not read is refused before it is sent on: the service would answer early
    // and drop the connection while the body still streams, a race that ends either way.
    if (Number(req.headers['content-length'] ?? 0) > MAX_TOKEN_BODY_BYTES)
      return afterBody(req, () => next(tooLarge()));
    let answer: IncomingMessage | undefined;
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > MAX_TOKEN_BODY_BYTES ? tooLarge() : null, chunk);
      },
    });
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.originalUrl,
        agent: false,
        headers: {
          ...endToEnd(req.headers),
          host: upstream.host,
          'x-forwarded-host': req.headers.host ?? '',
          'x-forwarded-proto': req.protocol,
          'x-forwarded-for': req.socket.remoteAddress ?? '',
        },
        timeout: 10_000,
      },
      (upstreamRes) => {
        answer = upstreamRes;
        const headers = endToEnd(upstreamRes.headers);
        // Answered before the whole request body arrived: the rest is discarded and the connection not reused.
        if (!req.complete) headers.connection = 'close';
        res.writeHead(upstreamRes.statusCode ?? 502, headers);
        upstreamRes.pipe(res);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('identity service timed out')));
    let failed = false;
    const fail = (problem: HttpProblem) => {
      if (failed) return;
      failed = true;
      // Whatever of the request body is still coming goes nowhere.
      req.unpipe(meter);
      req.resume();
      outgoing.destroy();
      if (!res.headersSent) afterBody(req, () => next(problem));
      else if (!answer?.complete) res.destroy(); // the answer broke off: so must ours
      // else the identity service answered in full and then dropped the connection: the answer stands.
    };
    meter.on('error', (err) => fail(err instanceof HttpProblem ? err : unavailable()));
    outgoing.on('error', () => fail(unavailable()));
    req.pipe(meter).pipe(outgoing);
  };
}
