import type { Principal, TokenVerifier } from './token-verifier.js';

const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;

/**
 * Remembers tokens that verified, so a merchant's burst of calls with one token costs one signature check. An
 * entry lives at most 60 s (a retired signing key stops working within a minute) and never past the token's
 * expiry; only successes are cached, so a bad token is checked (and refused) every time.
 */
export function cachingVerifier(verify: TokenVerifier, now = () => Date.now()): TokenVerifier {
  const cache = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const hit = cache.get(token);
    if (hit && hit.until > now()) return hit.principal;
    if (hit) cache.delete(token);
    const principal = await verify(token);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(token, { principal, until: Math.min(now() + MAX_AGE_MS, principal.expiresAt * 1000) });
    return principal;
  };
}
