import { errors, type ClientMetadata, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { ApiClient, MerchantClient, OperatorClient } from './clients.js';
import type { SigningAlg } from './keys.js';

export const SCOPE = 'signicat-api';
/** The resource indicator merchant tokens are issued for: Sign API clients never send one, so it is the default. */
export const API_RESOURCE = 'urn:esign:signicat-api';
/** Operators' tokens: the scope the operators' codec server requires, and their resource. */
export const OPERATOR_SCOPE = 'esign-operator';
export const OPERATOR_RESOURCE = 'urn:esign:operator';

const isMerchant = (c: ApiClient): c is MerchantClient => c.kind === 'merchant';
const isOperator = (c: ApiClient): c is OperatorClient => c.kind === 'operator';

/**
 * Only the client's own scope (or no scope, which means it: RFC 6749 §3.3 default) is acceptable. oidc-provider
 * would silently drop an unknown scope; the contract wants `invalid_scope`, and this is the one hook of the
 * client-credentials flow that sees the request before the token is minted.
 */
function requireScope(ctx: KoaContextWithOIDC, scope: string): void {
  const params = ctx.oidc.params as { scope?: string };
  if (!params.scope) {
    params.scope = scope;
    return;
  }
  const others = params.scope.split(' ').filter((s) => s !== scope);
  if (others.length) throw new errors.InvalidScope('requested scope is not allowed', others.join(' '));
}

/**
 * The client-credentials side of the provider: merchants get JWTs for the Sign API (audience `audience`, scope
 * `signicat-api`, their merchant id), operators JWTs for the codec server (audience `operatorAudience`, scope
 * `esign-operator`, no merchant). Each client kind can ask for its own resource and scope only.
 */
export function clientCredentialResources(deps: {
  config: { audience: string; operatorAudience?: string; tokenTtlSeconds: number };
  clients: ApiClient[];
  signer: { alg: SigningAlg; kid: string };
  placeholderSecret: string;
}) {
  const { config, clients, signer, placeholderSecret } = deps;
  const merchants = new Map(clients.filter(isMerchant).map((c) => [c.clientId, c.merchantId]));
  const operators = new Set(clients.filter(isOperator).map((c) => c.clientId));
  const server = (scope: string, audience: string): ResourceServer => ({
    scope,
    audience,
    accessTokenTTL: config.tokenTtlSeconds,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: signer.alg, kid: signer.kid } },
  });
  const apiServer = server(SCOPE, config.audience);
  const operatorServer = server(OPERATOR_SCOPE, config.operatorAudience ?? OPERATOR_SCOPE);
  const metadata = (c: ApiClient, scope: string): ClientMetadata => ({
    client_id: c.clientId,
    client_name: c.name,
    client_secret: placeholderSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope,
  });
  return {
    clients: [
      ...clients.filter(isMerchant).map((c) => metadata(c, SCOPE)),
      ...clients.filter(isOperator).map((c) => metadata(c, OPERATOR_SCOPE)),
    ],
    scopes: [SCOPE, ...(operators.size > 0 ? [OPERATOR_SCOPE] : [])],
    resourceIndicators: {
      enabled: true,
      // Merchant tokens are for the Sign API, operators' for the codec server; the portal's (opaque, unused) access
      // token is for no API.
      defaultResource: (_ctx: KoaContextWithOIDC, client?: { clientId: string }) => {
        if (client && merchants.has(client.clientId)) return API_RESOURCE;
        return client && operators.has(client.clientId) ? OPERATOR_RESOURCE : undefined;
      },
      useGrantedResource: () => false,
      getResourceServerInfo: (ctx: KoaContextWithOIDC, indicator: string, client: { clientId: string }) => {
        if (indicator === API_RESOURCE && merchants.has(client.clientId)) {
          requireScope(ctx, SCOPE);
          return apiServer;
        }
        if (indicator === OPERATOR_RESOURCE && operators.has(client.clientId)) {
          requireScope(ctx, OPERATOR_SCOPE);
          return operatorServer;
        }
        throw new errors.InvalidTarget();
      },
    },
    /** Only merchant tokens act for a merchant; operators' and the portal's carry nothing extra. */
    extraTokenClaims: (_ctx: unknown, token: { clientId?: string }) => {
      const merchantId = token.clientId ? merchants.get(token.clientId) : undefined;
      return merchantId ? { merchant_id: merchantId } : undefined;
    },
  };
}
