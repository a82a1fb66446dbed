import type { Config } from '@esign/config';
import type { RequestHandler, Response } from 'express';
import { HttpProblem } from '../problem.js';
import { tokensUncheckable } from '../auth/authenticate.js';
import { createJwtCheck, TokenRejected } from '../auth/token-verifier.js';

/** The cookie an operator's browser sends the codec server after logging in at `/codec/login` (the token itself). */
export const OPERATOR_COOKIE = 'esign_operator_token';

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export interface Operator {
  clientId: string;
  expiresAt: number;
}

/** The token of a request: `Authorization: Bearer` (the CLI, a UI passing its token), else the login's cookie. */
function tokenOf(header: string | undefined, cookies: string | undefined): string | undefined {
  const bearer = header ? BEARER.exec(header)?.[1] : undefined;
  if (bearer) return bearer;
  for (const part of (cookies ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === OPERATOR_COOKIE && value.length) return value.join('=');
  }
  return undefined;
}

export type OperatorCheck = (token: string) => Promise<Operator>;

/** Verifies an operator's token: the configured issuer's keys, the operators' audience and scope (never a merchant's). */
export function operatorCheck(config: Pick<Config, 'auth' | 'codecServer'>): OperatorCheck {
  const check = createJwtCheck(config.auth, config.codecServer);
  return async (token) => {
    const { payload } = await check(token);
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : (payload.sub ?? 'operator');
    return { clientId, expiresAt: payload.exp! };
  };
}

/**
 * Lets only operators through: a valid operator token, else 401 (none, or not valid: a merchant's token is for
 * another audience) or 403 (valid, without the operator scope); 503 while the issuer's keys cannot be fetched.
 */
export function requireOperator(check: OperatorCheck): RequestHandler {
  return async (req, res, next) => {
    const token = tokenOf(req.headers.authorization, req.headers.cookie);
    const challenge = { 'WWW-Authenticate': 'Bearer realm="esign-operator"' };
    if (!token)
      return next(new HttpProblem(401, 'Unauthorized', 'An operator token is required.', undefined, challenge));
    try {
      res.locals.operator = await check(token);
      next();
    } catch (err) {
      if (err instanceof TokenRejected) {
        const status = err.code === 'insufficient_scope' ? 403 : 401;
        return next(
          new HttpProblem(status, status === 403 ? 'Forbidden' : 'Unauthorized', err.description, undefined, challenge),
        );
      }
      next(tokensUncheckable());
    }
  };
}

export const operatorOf = (res: Response): Operator => res.locals.operator as Operator;
