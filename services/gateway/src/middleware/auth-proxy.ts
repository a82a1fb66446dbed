import { request, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { finished, Transform } from 'node:stream';
import { isDependencyUnavailable, type DependencyGuard } from '@esign/service-runtime';
import type { Request, RequestHandler } from 'express';
import { HttpProblem, unavailable } from '../problem.js';

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: never forwarded.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

/** The identity service (oidc-provider) reads at most 56 KiB of a request body; larger ones are refused here. */
export const MAX_TOKEN_BODY_BYTES = 56 * 1024;

const tooLarge = () =>
  new HttpProblem(413, 'Content Too Large', `A request body here may be at most ${MAX_TOKEN_BODY_BYTES} bytes.`);
const tokenServiceDown = (retryAfterSeconds: number) =>
  unavailable('The token service (identity provider) did not answer; try again shortly.', retryAfterSeconds);

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
 * `X-Forwarded-For` as a proxy passes it on: what came in (from the client or a proxy in front), then the address
 * this hop saw. The identity service trusts only as many entries from the right as there are proxies in front of it
 * (IDENTITY_TRUSTED_PROXY_HOPS), so what a client writes there does not count as its address.
 */
function forwardedFor(req: Request): string {
  const incoming = req.headers['x-forwarded-for'];
  const chain = [...(Array.isArray(incoming) ? incoming : incoming ? [incoming] : [])];
  return [...chain, req.socket.remoteAddress ?? 'unknown'].join(', ');
}

/**
 * Forwards `/auth/open/*` unchanged to the identity service, so a merchant uses one origin for tokens and API
 * (the dev stack's setup). The identity service builds its URLs from its configured public URL, never from the
 * request's host; the client's address goes along in `X-Forwarded-For` for its throttle of failed logins.
 *
 * Every request gets its own upstream connection: the identity service closes a connection after refusing a
 * body it would not read (one too large, say), and a pooled keep-alive connection closed that way would fail the
 * next, unrelated token request. Token requests are rare (a token lasts minutes), so the connect costs nothing.
 */
export function authProxy(target: string, guard: DependencyGuard, idleMs: number): RequestHandler {
  const upstream = new URL(target);
  return (req, res, next) => {
    // A body the identity service would not read is refused before it is sent on: the service would answer early
    // and drop the connection while the body still streams, a race that ends either way.
    if (Number(req.headers['content-length'] ?? 0) > MAX_TOKEN_BODY_BYTES)
      return afterBody(req, () => next(tooLarge()));
    let answer: IncomingMessage | undefined;
    let received = 0;
    let failed = false;
    // Settles the guard's call: the identity service answered (or the client's body was refused), or it did not.
    let settle: (outage?: Error) => void = () => undefined;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > MAX_TOKEN_BODY_BYTES ? tooLarge() : null, chunk);
      },
    });
    const fail = (problem: HttpProblem) => {
      if (failed) return;
      failed = true;
      // Whatever of the request body is still coming goes nowhere.
      req.unpipe(meter);
      req.resume();
      outgoing?.destroy();
      if (!res.headersSent) afterBody(req, () => next(problem));
      else if (!answer?.complete) res.destroy(); // the answer broke off: so must ours
      // else the identity service answered in full and then dropped the connection: the answer stands.
    };
    let outgoing: ClientRequest | undefined;
    // The client went away before its answer was sent: nothing the identity service did, and nothing to wait for.
    res.on('close', () => {
      if (res.writableFinished) return;
      settle();
      outgoing?.destroy();
    });
    // Under the identity provider's guard: a service that does not move a byte for `idleMs` fails the request (503
    // naming it), and while it is known down, token requests are refused at once instead of each waiting.
    guard
      .run(
        () =>
          new Promise<void>((resolve, reject) => {
            settle = (outage) => (outage ? reject(outage) : resolve());
            outgoing = request(
              {
                host: upstream.hostname,
                port: upstream.port,
                method: req.method,
                path: req.originalUrl,
                agent: false,
                headers: {
                  ...endToEnd(req.headers),
                  host: upstream.host,
                  'x-forwarded-for': forwardedFor(req),
                },
                timeout: idleMs,
              },
              (upstreamRes) => {
                settle();
                answer = upstreamRes;
                const headers = endToEnd(upstreamRes.headers);
                // Answered before the whole request body arrived: the rest is discarded and the connection not reused.
                if (!req.complete) headers.connection = 'close';
                res.writeHead(upstreamRes.statusCode ?? 502, headers);
                upstreamRes.pipe(res);
              },
            );
            outgoing.on('timeout', () =>
              outgoing?.destroy(Object.assign(new Error('identity service timed out'), { code: 'ETIMEDOUT' })),
            );
            outgoing.on('error', (err) => {
              settle(err);
              fail(tokenServiceDown(guard.retryAfterSeconds));
            });
            meter.on('error', (err) => {
              // The client's body was refused: an answer of ours, nothing the identity service did.
              settle();
              fail(err instanceof HttpProblem ? err : tokenServiceDown(guard.retryAfterSeconds));
            });
            req.pipe(meter).pipe(outgoing);
          }),
        { deadline: false },
      )
      .catch((err: unknown) =>
        fail(tokenServiceDown(isDependencyUnavailable(err) ? err.retryAfterSeconds : guard.retryAfterSeconds)),
      );
  };
}
