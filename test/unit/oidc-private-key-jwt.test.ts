import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import type { OidcProviderConfig } from '@esign/config';
import { freePort } from '@esign/devstack';
import { OidcMethod } from '@esign/signing-portal';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// An identity method whose provider authenticates the portal with `private_key_jwt` (RFC 7523), against
// oidc-provider (an implementation no one here wrote) in this process: the portal's signed client assertion is what
// lets it redeem the code, and the ID token comes back validated.

const REDIRECT = 'http://127.0.0.1:1/std/callback';

/** Follows a browser's redirects by hand, keeping its cookies; stops at the portal's redirect URI. */
async function browse(start: string, forms: Record<string, Record<string, string>>): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  let body: URLSearchParams | undefined;
  for (let hops = 0; hops < 20; hops++) {
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      jar.set(name, value);
    }
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT)) return next;
      url = next.href;
      continue;
    }
    // An interaction page of the dev login: answer it with the form for its prompt.
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!prompt || !forms[prompt]) throw new Error(`unexpected page (${res.status}): ${html.slice(0, 300)}`);
    const action = /action="([^"]+)"/.exec(html)![1]!;
    url = new URL(action, url).href;
    body = new URLSearchParams({ prompt, ...forms[prompt] });
  }
  throw new Error('too many redirects');
}

describe('OIDC identity method with private_key_jwt', () => {
  let server: Server;
  let issuer: string;
  let keyPem: string;

  beforeAll(async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'portal-key', alg: 'RS256', use: 'sig' };
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'portal',
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'RS256',
          jwks: { keys: [jwk as never] },
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      features: { devInteractions: { enabled: true } },
      // The person's claims in the ID token, as eID brokers put them (the portal reads no userinfo).
      conformIdTokenClaims: false,
      claims: { openid: ['sub'], profile: ['name'] },
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: `Test ${sub}` }) }),
      cookies: { keys: ['a-test-cookie-key'] },
    });
    server = provider.listen(port);
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  it('logs a signer in: ui_locales and the entry parameters sent, the code redeemed with a signed assertion', async () => {
    const provider: OidcProviderConfig = {
      type: 'oidc',
      issuer,
      clientId: 'portal',
      privateKeyJwt: { keyFile: 'unused-here', alg: 'RS256', kid: 'portal-key' },
      scopes: ['openid', 'profile'],
      authorizationParams: { login_hint: 'kari' },
      claims: {},
      signatureTypes: ['AUTHENTICATION_BASED'],
      displayName: { en: 'Test' },
    };
    const method = new OidcMethod({
      provider,
      credential: { privateKeyPem: keyPem, kid: 'portal-key', alg: 'RS256' },
      redirectUri: REDIRECT,
    });
    const login = await method.start({ language: 'nb' });
    const sent = new URL(login.url).searchParams;
    expect([sent.get('ui_locales'), sent.get('login_hint'), sent.get('code_challenge_method')]).toEqual([
      'nb',
      'kari',
      'S256',
    ]);
    const callback = await browse(login.url, { login: { login: 'kari' }, consent: {} });
    const who = await method.finish(callback, login);
    expect(who.claims).toMatchObject({ sub: 'kari', name: 'Test kari', iss: issuer, aud: 'portal' });
    expect(who.idToken.split('.')).toHaveLength(3);

    // The same code flow with a key the provider does not know is refused at the token endpoint.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const stranger = new OidcMethod({
      provider,
      credential: { privateKeyPem: other.toString(), kid: 'portal-key', alg: 'RS256' },
      redirectUri: REDIRECT,
    });
    const second = await stranger.start();
    const code = await browse(second.url, { login: { login: 'kari' }, consent: {} });
    await expect(stranger.finish(code, second)).rejects.toMatchObject({ error: 'invalid_client' });
  }, 60_000);
});
