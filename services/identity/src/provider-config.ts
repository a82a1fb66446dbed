import { randomBytes } from 'node:crypto';
import { errors, type Configuration, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { MerchantClient } from './clients.js';
import type { IdentityConfig } from './config.js';
import type { IdentityKeys } from './keys.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';

export const SCOPE = 'signicat-api';
/** The resource indicator tokens are issued for: Sign API clients never send one, so it is the default. */
export const API_RESOURCE = 'urn:esign:signicat-api';

export type ProviderConfig = Pick<IdentityConfig, 'publicUrl' | 'audience' | 'tokenTtlSeconds'>;

/**
 * Only `scope=signicat-api` (or no scope, which means it: RFC 6749 §3.3 default) is acceptable. oidc-provider would
 * silently drop an unknown scope; the contract wants `invalid_scope`, and this is the one hook of the
 * client-credentials flow that sees the request before the token is minted.
 */
function requireApiScope(ctx: KoaContextWithOIDC): void {
  const params = ctx.oidc.params as { scope?: string };
  if (!params.scope) {
    params.scope = SCOPE;
    return;
  }
  const others = params.scope.split(' ').filter((s) => s !== SCOPE);
  if (others.length) throw new errors.InvalidScope('requested scope is not allowed', others.join(' '));
}

/** oidc-provider configuration for merchant API clients: client credentials only, JWT access tokens. */
export function providerConfiguration(deps: {
  config: ProviderConfig;
  clients: MerchantClient[];
  keys: IdentityKeys;
}): Configuration {
  const { config, clients, keys } = deps;
  const merchants = new Map(clients.map((c) => [c.clientId, c.merchantId]));
  const [signer] = keys.jwks.keys;
  // Secrets are checked by our compareClientSecret (plain or scrypt); the metadata only needs some value because
  // client_secret_basic clients must have one, so it gets a random one that is never compared.
  const placeholderSecret = randomBytes(32).toString('base64url');
  const apiServer: ResourceServer = {
    scope: SCOPE,
    audience: config.audience,
    accessTokenTTL: config.tokenTtlSeconds,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: signer!.alg, kid: signer!.kid } },
  };

  return {
    adapter: createMemoryAdapterFactory(),
    jwks: keys.jwks,
    cookies: { keys: keys.cookieKeys },
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_name: c.name,
      client_secret: placeholderSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: SCOPE,
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: [],
    scopes: [SCOPE],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator !== API_RESOURCE) throw new errors.InvalidTarget();
          requireApiScope(ctx);
          return apiServer;
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const merchantId = token.clientId ? merchants.get(token.clientId) : undefined;
      if (!merchantId) throw new Error('token for a client without a merchant');
      return { merchant_id: merchantId };
    },
    formats: {
      customizers: {
        jwt: (_ctx, _token, jwt) => {
          // oidc-provider sets no nbf; resource servers check it, so the token is valid from its issue time.
          jwt.payload.nbf = jwt.payload.iat;
        },
      },
    },
    ttl: { ClientCredentials: config.tokenTtlSeconds },
    // IdentityServer-style paths, as at the real Sign API token host (/auth/open/connect/token).
    routes: {
      authorization: '/connect/authorize',
      token: '/connect/token',
      jwks: '/.well-known/openid-configuration/jwks',
    },
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}
