import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { accessToken } from '../support/merchants.js';

// The dev identity service doubles as a test eID (contract §7): the signing portal's authorization code + PKCE flow,
// driven here like a browser (fetch with a cookie jar, redirects followed by hand) through the API origin's gateway.
const stack = inject('stack');
const origin = `http://127.0.0.1:${stack.env.GATEWAY_PORT}`;
const issuer = `${origin}/auth/open`;
const portal = { clientId: 'esign-portal', secret: 'portal-dev-secret' };
// The portal's redirect URI as the stack's identity service registers it (services/identity/README.md).
const redirectUri =
  stack.env.IDENTITY_PORTAL_REDIRECT_URIS?.split(',')[0]?.trim() ||
  `${(stack.env.SIGNING_PORTAL_URL ?? 'http://127.0.0.1:8081').replace(/\/+$/, '')}/std/callback`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const digests = [sha256('test-eid: contract'), sha256('test-eid: annex')];

/** Cookies by name and path; enough for the provider's interaction, resume and session cookies. */
class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const expires = attrs.find((a) => /^expires=/i.test(a))?.slice(8);
      if (expires && Date.parse(expires) <= Date.now()) this.#cookies.delete(`${name};${path}`);
      else this.#cookies.set(`${name};${path}`, { name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(res);
  return res;
}

const locationOf = (res: Response) => new URL(res.headers.get('location') ?? '', origin);
const postForm = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

function newRequest(params: Record<string, string | undefined> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const url = new URL(`${issuer}/connect/authorize`);
  const fields: Record<string, string | undefined> = {
    client_id: portal.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    acr_values: 'nbid-sign',
    esign_digests: digests.join(','),
    ...params,
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) url.searchParams.set(k, v);
  return { url: url.href, verifier, state, nonce, jar: new CookieJar() };
}

/** Follows the provider's redirects until the browser would leave for the portal; returns that callback URL. */
async function followToPortal(jar: CookieJar, res: Response): Promise<URL> {
  for (let hops = 0; res.status === 303 && locationOf(res).origin === origin; hops++) {
    expect(hops).toBeLessThan(5);
    res = await browse(jar, locationOf(res).href);
  }
  expect(res.status).toBe(303);
  const callback = locationOf(res);
  expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
  return callback;
}

async function openLoginPage(request: ReturnType<typeof newRequest>) {
  const res = await browse(request.jar, request.url);
  expect(res.status).toBe(303);
  const pageUrl = locationOf(res);
  expect(pageUrl.origin).toBe(origin);
  expect(pageUrl.pathname).toMatch(/^\/auth\/open\/interaction\/[A-Za-z0-9_-]+$/);
  const page = await browse(request.jar, pageUrl.href);
  return { page, pageUrl: pageUrl.href, html: await page.text() };
}

/** The error an authorization request is sent back to the portal with. */
async function redirectedError(params: Record<string, string | undefined>) {
  const request = newRequest(params);
  const res = await browse(request.jar, request.url);
  expect(res.status).toBe(303);
  const callback = locationOf(res);
  expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
  expect(callback.searchParams.get('state')).toBe(request.state);
  expect(callback.searchParams.get('code')).toBeNull();
  return { error: callback.searchParams.get('error'), description: callback.searchParams.get('error_description') };
}

describe('test eID for signers (the dev identity service, through the API origin)', () => {
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/connect/authorize`,
      token_endpoint: `${issuer}/connect/token`,
      code_challenge_methods_supported: ['S256'],
    });
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri as string));
  });

  it('logs a signer in as a test identity and signs an ID token binding them to the documents', async () => {
    const request = newRequest();
    const { page, pageUrl, html } = await openLoginPage(request);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('nbid-sign');
    expect(html).toContain('(test eID)');
    for (const name of ['Kari Nordmann', 'Anna Andersson', 'Mette Hansen', 'Matti Meikäläinen']) {
      expect(html).toContain(name);
    }
    expect(html).toContain('<button type="submit" name="nationalId" value="01017012345">');
    for (const digest of digests) expect(html).toContain(digest);

    const submitted = await browse(request.jar, pageUrl, postForm({ csrf: csrfOf(html), nationalId: '01017012345' }));
    const callback = await followToPortal(request.jar, submitted);
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const token = await fetch(`${issuer}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${portal.clientId}:${portal.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: redirectUri,
        code_verifier: request.verifier,
      }),
    });
    expect(token.status).toBe(200);
    const { id_token } = (await token.json()) as { id_token: string };
    const { payload, protectedHeader } = await jwtVerify(id_token, jwks, { issuer, audience: portal.clientId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      name: 'Kari Nordmann',
      given_name: 'Kari',
      family_name: 'Nordmann',
      birthdate: '1970-01-01',
      national_id: '01017012345',
      country: 'NO',
      acr: 'nbid-sign',
      esign_digests: digests,
      nonce: request.nonce,
    });
    expect(payload.sub).toMatch(/^test-eid-[0-9a-f]{32}$/);
    expect(typeof payload.auth_time).toBe('number');

    // The code is single-use.
    const again = await fetch(`${issuer}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: redirectUri,
        code_verifier: request.verifier,
        client_id: portal.clientId,
        client_secret: portal.secret,
      }),
    });
    expect(again.status).toBe(400);
  });

  it('shows the login page again with an error for an unknown national id', async () => {
    const request = newRequest();
    const { pageUrl, html } = await openLoginPage(request);
    const res = await browse(
      request.jar,
      pageUrl,
      postForm({ csrf: csrfOf(html), nationalId: '99999999999', action: 'login' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const again = await res.text();
    expect(again).toContain('role="alert"');
    expect(again).toContain('No test identity has the national identity number 99999999999');
    expect(again).toContain('<button type="submit" name="nationalId" value="01017012345">');
  });

  it('refuses a login form without the page token', async () => {
    const request = newRequest();
    const { pageUrl } = await openLoginPage(request);
    const res = await browse(request.jar, pageUrl, postForm({ csrf: 'forged', nationalId: '01017012345' }));
    expect(res.status).toBe(403);
  });

  it('refuses an authorization request without PKCE', async () => {
    const { error, description } = await redirectedError({
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    expect(error).toBe('invalid_request');
    expect(description).toMatch(/PKCE/);
  });

  it('refuses malformed esign_digests', async () => {
    for (const esign_digests of [digests[0]!.toUpperCase(), `${digests[0]},not-a-digest`]) {
      const { error, description } = await redirectedError({ esign_digests });
      expect(error).toBe('invalid_request');
      expect(description).toMatch(/esign_digests/);
    }
  });

  it('refuses a redirect_uri the portal has not registered, without redirecting to it', async () => {
    const request = newRequest({ redirect_uri: 'https://evil.example/std/callback' });
    const res = await browse(request.jar, request.url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.json()).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it('leaves the merchant client-credentials flow as it was', async () => {
    const token = await accessToken('demo');
    const [, body] = token.split('.');
    expect(JSON.parse(Buffer.from(body!, 'base64url').toString())).toMatchObject({
      iss: issuer,
      aud: 'signicat-api',
      merchant_id: 'demo-merchant',
    });
  });
});
