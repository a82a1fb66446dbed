import { randomBytes } from 'node:crypto';
import { errors, interactionPolicy, type ClientMetadata, type Configuration } from 'oidc-provider';
import type { ApiClient, PortalClient } from './clients.js';
import type { IdentityConfig } from './config.js';
import {
  checkClaimsRequest,
  DIGESTS_CLAIM,
  EidParamError,
  KNOWN_METHODS,
  methodOf,
  parseDigestsParam,
  requestedDigests,
  withDigestsClaim,
} from './eid-params.js';
import type { TestIdentities } from './identities.js';
import type { IdentityKeys, SigningAlg } from './keys.js';
import { pageHeaders, renderErrorPage } from './login-page.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import { clientCredentialResources } from './resources.js';

export { API_RESOURCE, OPERATOR_RESOURCE, OPERATOR_SCOPE, SCOPE } from './resources.js';
/** Where the provider is served, on its own port and (through the proxy) on the API origin. */
export const MOUNT_PATH = '/auth/open';
/** The test eID's login pages: `${INTERACTION_PATH}/:uid`. */
export const INTERACTION_PATH = `${MOUNT_PATH}/interaction`;
/** What the signing portal may ask the test eID for. */
export const PORTAL_SCOPES = ['openid', 'profile'] as const;
/** The person's claims, all in scope `profile`. */
export const PROFILE_CLAIMS = ['name', 'given_name', 'family_name', 'birthdate', 'national_id', 'country'] as const;

export type ProviderConfig = Pick<IdentityConfig, 'publicUrl' | 'audience' | 'tokenTtlSeconds'> &
  Partial<Pick<IdentityConfig, 'portalRedirectUris' | 'portalRedirectUrisFromEnv' | 'operatorAudience'>>;

/** Runs a test eID parameter check, answering a bad value with `invalid_request` (redirected to the client). */
function asInvalidRequest<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof EidParamError) throw new errors.InvalidRequest(err.message);
    throw err;
  }
}

const isPortal = (c: ApiClient): c is PortalClient => c.kind === 'signing-portal';

/**
 * The test eID logs in afresh at every authorization request: besides the base policy's reasons (no session yet,
 * max_age…), the login prompt is always due until this very request has a login result.
 */
function testEidPolicy() {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check('test_eid_login', 'the test eID authenticates every authorization request', (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

/**
 * The test eID part of the configuration, for signing-portal clients: authorization code with PKCE (S256) against
 * the test identities, whose ID token carries the person's claims, the method (`acr`) and, when asked, the
 * documents' digests (the signed statement).
 */
function testEidConfiguration(
  config: ProviderConfig,
  portals: PortalClient[],
  identities: TestIdentities,
  placeholderSecret: string,
  signingAlg: SigningAlg,
) {
  const portalMetadata = (c: PortalClient): ClientMetadata => ({
    client_id: c.clientId,
    client_name: c.name,
    client_secret: placeholderSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris:
      config.portalRedirectUrisFromEnv || !c.redirectUris ? (config.portalRedirectUris ?? []) : c.redirectUris,
    scope: PORTAL_SCOPES.join(' '),
    require_auth_time: true,
    id_token_signed_response_alg: signingAlg,
  });

  const configuration: Configuration = {
    responseTypes: ['code'],
    claims: {
      openid: ['sub'],
      profile: [...PROFILE_CLAIMS],
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
      [DIGESTS_CLAIM]: null,
    },
    acrValues: [...KNOWN_METHODS],
    // Claims requested by scope go into the ID token (there is no userinfo endpoint).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    extraParams: {
      // Validators run on every authorization request after the standard checks (client, redirect_uri, PKCE), so a
      // bad value is answered with the standard error redirect to the client.
      acr_values: (_ctx, value) => {
        asInvalidRequest(() => methodOf(value));
      },
      // The digests travel as a request for the esign_digests claim (see withDigestsClaim).
      [DIGESTS_CLAIM]: (ctx, value) => {
        if (value === undefined) return;
        const digests = asInvalidRequest(() => parseDigestsParam(value));
        const params = ctx.oidc.params as { claims?: string };
        params.claims = asInvalidRequest(() => withDigestsClaim(params.claims, digests));
      },
    },
    findAccount: (_ctx, sub) => {
      const person = identities.byAccountId(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: (_use, _scope, requested) => {
          // The signed statement: the documents this login binds the person to, as the request asked.
          const digests = requestedDigests(requested[DIGESTS_CLAIM]);
          return {
            sub,
            name: person.name,
            given_name: person.givenName,
            family_name: person.familyName,
            birthdate: person.birthdate,
            national_id: person.nationalId,
            country: person.country,
            ...(digests ? { [DIGESTS_CLAIM]: digests } : {}),
          };
        },
      };
    },
    // The portal's grant is made at login for exactly what it asked (interaction.ts); codes outlive the session,
    // which is dropped once the browser is sent back to the portal (provider.ts).
    expiresWithSession: () => false,
    interactions: {
      policy: testEidPolicy(),
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    ttl: {
      // A login only needs to last for the page, the redirect back and the code exchange.
      Interaction: 15 * 60,
      Session: 15 * 60,
      Grant: 15 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      AccessToken: 10 * 60,
    },
  };
  const claimsParameter = {
    enabled: true,
    assertClaimsParameter: (_ctx: unknown, claims: unknown) => {
      asInvalidRequest(() => checkClaimsRequest(claims as Parameters<typeof checkClaimsRequest>[0]));
    },
  };
  return { clients: portals.map(portalMetadata), configuration, claimsParameter };
}

/**
 * oidc-provider configuration. Merchant API and operator clients: client credentials only, JWT access tokens
 * (resources.ts). When the clients
 * file has a signing-portal client, the test eID as well (testEidConfiguration); without one, nothing of it exists.
 */
export function providerConfiguration(deps: {
  config: ProviderConfig;
  clients: ApiClient[];
  keys: IdentityKeys;
  identities: TestIdentities;
}): Configuration {
  const { config, clients, keys, identities } = deps;
  const portals = clients.filter(isPortal);
  const [signer] = keys.jwks.keys;
  // Secrets are checked by our compareClientSecret (plain or scrypt); the metadata only needs some value because
  // client_secret_basic clients must have one, so it gets a random one that is never compared.
  const placeholderSecret = randomBytes(32).toString('base64url');
  const resources = clientCredentialResources({ config, clients, signer: signer!, placeholderSecret });
  const eid = portals.length
    ? testEidConfiguration(config, portals, identities, placeholderSecret, signer!.alg)
    : undefined;

  return {
    adapter: createMemoryAdapterFactory(),
    jwks: keys.jwks,
    cookies: {
      keys: keys.cookieKeys,
      // The test eID's login session lives from the login page to the redirect back; keep its cookie to the
      // provider's own paths on a shared origin.
      long: { httpOnly: true, sameSite: 'lax', path: MOUNT_PATH },
    },
    clients: [...resources.clients, ...(eid?.clients ?? [])],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: [],
    ...eid?.configuration,
    scopes: [...resources.scopes, ...(eid ? PORTAL_SCOPES : [])],
    features: {
      clientCredentials: { enabled: true },
      claimsParameter: eid?.claimsParameter ?? { enabled: false },
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      resourceIndicators: resources.resourceIndicators,
    },
    extraTokenClaims: resources.extraTokenClaims,
    formats: {
      customizers: {
        jwt: (_ctx, _token, jwt) => {
          // oidc-provider sets no nbf; resource servers check it, so the token is valid from its issue time.
          jwt.payload.nbf = jwt.payload.iat;
        },
      },
    },
    ttl: { ...eid?.configuration.ttl, ClientCredentials: config.tokenTtlSeconds },
    // IdentityServer-style paths, as at the real Sign API token host (/auth/open/connect/token).
    routes: {
      authorization: '/connect/authorize',
      token: '/connect/token',
      jwks: '/.well-known/openid-configuration/jwks',
    },
    // Errors that cannot go back to a client (unknown client, unregistered redirect_uri, expired login): a page for
    // browsers, JSON for everything else.
    renderError: (ctx, out) => {
      if (ctx.accepts('json', 'html') === 'html') {
        ctx.set(pageHeaders());
        ctx.body = renderErrorPage(
          'The login cannot continue',
          out.error_description ? `${out.error}: ${out.error_description}` : out.error,
        );
        return;
      }
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}
