import { createPrivateKey } from 'node:crypto';
import type { ClientCredential, OidcProviderConfig } from '@esign/config';
import * as oidc from 'openid-client';

/** What the portal keeps of an authentication: the claims as strings, and the ID token (the signed statement). */
export interface Authenticated {
  name: string;
  claims: Record<string, string>;
  idToken: string;
}

/** An authorization request under way: what the callback must check. */
export interface LoginStart {
  url: string;
  verifier: string;
  state: string;
  nonce: string;
}

const ALGORITHMS = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
} as const;

/** The openid-client authentication of the portal at the provider: its secret, or `private_key_jwt`. */
async function clientAuth(credential: ClientCredential): Promise<oidc.ClientAuth> {
  if ('secret' in credential) return oidc.ClientSecretBasic(credential.secret);
  const der = createPrivateKey(credential.privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const key = await crypto.subtle.importKey('pkcs8', der, ALGORITHMS[credential.alg], false, ['sign']);
  return oidc.PrivateKeyJwt(credential.kid ? { key, kid: credential.kid } : key);
}

/**
 * One OIDC identity method (contract §7): authorization code + PKCE against its provider, with its scopes and extra
 * authorization parameters (e.g. `acr_values`), the signer's language as `ui_locales`. Discovery and ID token
 * validation (signature, issuer, audience, expiry, nonce) are openid-client's. Discovery is retried after a failure.
 */
export class OidcMethod {
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly opts: {
      provider: OidcProviderConfig;
      credential: ClientCredential;
      redirectUri: string;
      /** Bounds each request to the provider (IDENTITY_DEADLINE_SECONDS); openid-client counts in seconds. */
      deadlineMs?: number;
    },
  ) {}

  private discover(): Promise<oidc.Configuration> {
    const { issuer, clientId } = this.opts.provider;
    this.configuration ??= clientAuth(this.opts.credential)
      .then((auth) =>
        oidc.discovery(new URL(issuer), clientId, undefined, auth, {
          timeout: Math.max(1, Math.ceil((this.opts.deadlineMs ?? 3000) / 1000)),
          ...(issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
        }),
      )
      .catch((err: unknown) => {
        this.configuration = undefined; // try again next time
        throw err;
      });
    return this.configuration;
  }

  /** Starts a login: the URL to send the browser to, and what the callback must check. */
  async start(opts: { language?: string; extra?: Record<string, string>; nonce?: string } = {}): Promise<LoginStart> {
    const configuration = await this.discover();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    // A signed statement's nonce binds the documents (@esign/signed-statement); any other login's is random.
    const nonce = opts.nonce ?? oidc.randomNonce();
    const { provider, redirectUri } = this.opts;
    const url = oidc.buildAuthorizationUrl(configuration, {
      ...provider.authorizationParams,
      ...opts.extra,
      redirect_uri: redirectUri,
      scope: provider.scopes.join(' '),
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      // The provider's pages in the signer's language, where it has it (OpenID Connect Core §3.1.2.1).
      ...(opts.language ? { ui_locales: opts.language } : {}),
    });
    return { url: url.href, verifier, state, nonce };
  }

  /** The provider's issuer and its signing keys now (its JWKS), to record beside a signed statement. */
  async signingKeys(): Promise<{ issuer: string; jwks: { keys: Array<Record<string, unknown>> } }> {
    const metadata = (await this.discover()).serverMetadata();
    if (!metadata.jwks_uri) throw new Error('the provider publishes no jwks_uri');
    const res = await fetch(metadata.jwks_uri, { signal: AbortSignal.timeout(this.opts.deadlineMs ?? 3000) });
    if (!res.ok) throw new Error(`the provider's keys answered ${res.status}`);
    return { issuer: metadata.issuer, jwks: (await res.json()) as { keys: Array<Record<string, unknown>> } };
  }

  /** Completes a login from the callback URL; throws when state, nonce, PKCE or the token do not check out. */
  async finish(callbackUrl: URL, login: { verifier: string; state: string; nonce: string }): Promise<Authenticated> {
    const configuration = await this.discover();
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    const strings = Object.fromEntries(
      Object.entries(claims).flatMap(([k, v]) =>
        typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
          ? [[k, String(v)]]
          : Array.isArray(v)
            ? [[k, v.join(',')]]
            : [],
      ),
    );
    return { name: strings.name ?? strings.sub ?? 'unknown', claims: strings, idToken: tokens.id_token! };
  }
}
