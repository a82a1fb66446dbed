import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '@esign/config';
import { cachingVerifier } from './verified-cache.js';

/** Who a valid token speaks for. */
export interface Principal {
  merchantId: string;
  clientId?: string;
  scopes: string[];
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
}

/** Why a token was refused: `invalid_token` → 401, `insufficient_scope` → 403 (RFC 6750 error codes). */
export class TokenRejected extends Error {
  constructor(
    readonly code: 'invalid_token' | 'insufficient_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** The JWKS URI from config, else from the issuer's discovery document (fetched once, retried after a failure). */
function jwksUriResolver(auth: Config['auth'], deadlineMs: number): () => Promise<URL> {
  let pending: Promise<URL> | undefined;
  return () => {
    if (auth.jwksUri) return Promise.resolve(new URL(auth.jwksUri));
    pending ??= (async () => {
      const res = await fetch(`${auth.issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(deadlineMs),
      });
      if (!res.ok) throw new Error(`issuer discovery answered ${res.status}`);
      const { jwks_uri: uri } = (await res.json()) as { jwks_uri?: string };
      if (!uri) throw new Error('issuer discovery has no jwks_uri');
      return new URL(uri);
    })().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload as { scope?: unknown; scp?: unknown };
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  return [];
}

/**
 * Validates bearer JWTs locally against the issuer's JWKS: signature (asymmetric algorithms only, so `alg: none` and
 * HMAC confusion fail), `iss`, `aud`, `exp`/`nbf` with a small clock skew, then the scope. Keys are cached by jose
 * and refetched when a token names an unknown `kid` (rotation), at most every 30 s.
 */
export function createTokenVerifier(
  auth: Config['auth'],
  opts: { cache?: boolean; deadlineMs?: number } = {},
): TokenVerifier {
  const verify = createUncachedVerifier(auth, opts.deadlineMs ?? 3000);
  return opts.cache === false ? verify : cachingVerifier(verify);
}

/**
 * Checks a JWT against the issuer's keys and the expected audience and scope (shared by the merchants' verifier and
 * the operators' one); answers its payload and scopes. `deadlineMs` (IDENTITY_DEADLINE_SECONDS) bounds the issuer's
 * discovery and JWKS requests.
 */
export function createJwtCheck(
  auth: Config['auth'],
  expected: { audience: string; scope: string },
  deadlineMs = 3000,
): (token: string) => Promise<{ payload: JWTPayload; scopes: string[] }> {
  const resolveJwksUri = jwksUriResolver(auth, deadlineMs);
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  return async (token) => {
    try {
      jwks ??= createRemoteJWKSet(await resolveJwksUri(), {
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: deadlineMs,
      });
    } catch (err) {
      throw new Error(`token keys unavailable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: auth.issuer,
        audience: expected.audience,
        algorithms: auth.algorithms,
        clockTolerance: auth.clockSkewSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError && !(err instanceof errors.JWKSTimeout)) {
        throw new TokenRejected('invalid_token', describe(err));
      }
      throw err;
    }
    const scopes = scopesOf(payload);
    if (!scopes.includes(expected.scope))
      throw new TokenRejected('insufficient_scope', `The token lacks scope ${expected.scope}.`);
    return { payload, scopes };
  };
}

function createUncachedVerifier(auth: Config['auth'], deadlineMs: number): TokenVerifier {
  const check = createJwtCheck(auth, { audience: auth.audience, scope: auth.scope }, deadlineMs);
  return async (token) => {
    const { payload, scopes } = await check(token);
    const merchantId = payload[auth.merchantClaim];
    if (typeof merchantId !== 'string' || merchantId.length === 0) {
      throw new TokenRejected('invalid_token', `The token has no ${auth.merchantClaim} claim.`);
    }
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    return { merchantId, clientId, scopes, expiresAt: payload.exp! };
  };
}

function describe(err: errors.JOSEError): string {
  if (err instanceof errors.JWTExpired) return 'The token has expired.';
  if (err instanceof errors.JWTClaimValidationFailed) return `The token's ${err.claim} claim is not acceptable.`;
  if (err instanceof errors.JWKSNoMatchingKey) return 'The token is not signed by a key of the issuer.';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm that is not accepted.';
  return 'The token is malformed or invalid.';
}
