import type { RequestHandler, Response } from 'express';
import { HttpProblem, unavailable } from '../problem.js';
import { TokenRejected, type Principal, type TokenVerifier } from './token-verifier.js';

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

function challenge(code?: string, description?: string): Record<string, string> {
  const parts = ['Bearer realm="signicat-api"'];
  if (code) parts.push(`error="${code}"`);
  if (description) parts.push(`error_description="${description.replace(/"/g, "'")}"`);
  return { 'WWW-Authenticate': parts.join(', ') };
}

/**
 * Requires a valid bearer token and records its principal for the request. Missing or invalid token → 401 with
 * `WWW-Authenticate: Bearer`; missing scope → 403; the identity provider's keys unreachable → 503.
 */
/** A token that could not be judged (the issuer's keys did not come): 503, not 401 — the client's token may be fine. */
export const tokensUncheckable = () =>
  unavailable('Tokens cannot be checked right now: the identity provider did not answer.', 5);

export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? BEARER.exec(header) : null;
    if (!match) {
      const detail = header ? 'The Authorization header is not a Bearer token.' : 'A bearer token is required.';
      return next(
        new HttpProblem(401, 'Unauthorized', detail, undefined, challenge(header ? 'invalid_request' : undefined)),
      );
    }
    try {
      res.locals.principal = await verify(match[1]!);
      next();
    } catch (err) {
      if (err instanceof TokenRejected) {
        const status = err.code === 'insufficient_scope' ? 403 : 401;
        const title = status === 403 ? 'Forbidden' : 'Unauthorized';
        return next(new HttpProblem(status, title, err.description, undefined, challenge(err.code, err.description)));
      }
      next(tokensUncheckable());
    }
  };
}

/**
 * The merchant the request acts for. Every resource lookup is keyed by it, so another merchant's resource is simply
 * not found. Throws when a route is reached without `authenticate`, which is a wiring bug, never a client error.
 */
export function merchantOf(res: Response): string {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('route reached without authentication');
  return principal.merchantId;
}
