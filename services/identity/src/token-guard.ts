import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '@esign/observability';
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { ClientAuthThrottle } from './auth-throttle.js';
import { clientAddress } from './client-address.js';

/** The token endpoint below the mount path (`routes.token` of the provider configuration). */
const TOKEN_PATH = '/connect/token';
/** OAuth 2.0 has no error code for rate limits; this one says "try again later" to any client. */
const THROTTLED = 'temporarily_unavailable';

const describeWait = (seconds: number) => `too many failed client authentications; retry after ${seconds} s`;

/** A locked client id, thrown before its secret is compared: oidc-provider answers it as a 429 OAuth error. */
class TooManyFailures extends errors.OIDCProviderError {
  constructor(seconds: number) {
    super(429, THROTTLED);
    this.error_description = describeWait(seconds);
  }
}

export interface TokenGuard {
  /** Runs the provider's handling of `req` with its client address known to the guard. */
  run(req: IncomingMessage, handle: () => void): void;
  /** Throws a 429 when the client id is locked for the current request's address; called before a secret compare. */
  checkClient(clientId: string): void;
}

/**
 * Puts the throttle in front of the token endpoint (issue 29, finding 10): a locked address is answered 429 before
 * anything is read; a locked client id when its secret would be compared (so the right secret is refused too);
 * every `invalid_client` answer counts as a failure, every token as a success. 429s carry `Retry-After`.
 */
export function guardTokenEndpoint(
  provider: Provider,
  opts: { throttle: ClientAuthThrottle; trustedProxyHops: number; logger?: Logger },
): TokenGuard {
  const { throttle, logger } = opts;
  const current = new AsyncLocalStorage<string>();
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    const address = current.getStore();
    if (address === undefined || ctx.method !== 'POST' || ctx.path !== TOKEN_PATH) return next();
    const wait = throttle.addressWait(address);
    if (wait > 0) {
      logger?.warn({ lock: 'address' }, 'token request throttled');
      ctx.status = 429;
      ctx.set({ 'Retry-After': String(wait), 'Cache-Control': 'no-store' });
      ctx.body = { error: THROTTLED, error_description: describeWait(wait) };
      return;
    }
    await next();
    const clientId = ctx.oidc?.client?.clientId;
    if (ctx.status === 200 && clientId) throttle.succeeded(clientId, address);
    else if (ctx.status === 401 && (ctx.body as { error?: string } | undefined)?.error === 'invalid_client') {
      throttle.failed(address, clientId);
    } else if (ctx.status === 429 && clientId) {
      logger?.warn({ clientId, lock: 'client' }, 'token request throttled');
      ctx.set('Retry-After', String(Math.max(1, throttle.clientWait(clientId, address))));
    }
  });
  return {
    run: (req, handle) => current.run(clientAddress(req, opts.trustedProxyHops), handle),
    checkClient(clientId) {
      const address = current.getStore();
      const wait = address === undefined ? 0 : throttle.clientWait(clientId, address);
      if (wait > 0) throw new TooManyFailures(wait);
    },
  };
}
