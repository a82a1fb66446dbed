import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from './identities.js';
import {
  authorizationUrl,
  browse,
  CookieJar,
  csrfOf,
  form,
  locationOf,
  pkce,
  PORTAL,
  requestToken,
  startTestIdentity,
  tempDir,
  writeClientsFile,
  type Pkce,
  type TestIdentity,
} from './test-support.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DIGESTS = [sha256('contract.pdf'), sha256('annex.pdf')];
const basic = `Basic ${Buffer.from(`${PORTAL.clientId}:${PORTAL.secret}`).toString('base64')}`;

interface Flow {
  jar: CookieJar;
  pkce: Pkce;
  state: string;
  nonce: string;
  /** The login page's URL and HTML. */
  pageUrl: string;
  html: string;
}

/** Starts a login: the authorization request, then the login page it redirects to. */
async function openLogin(idp: TestIdentity, params: Record<string, string | undefined> = {}, jar = new CookieJar()) {
  const flow = { jar, pkce: pkce(), state: `state-${Math.random()}`, nonce: `nonce-${Math.random()}` };
  const res = await browse(jar, authorizationUrl(idp.issuer, { ...flow, params }));
  expect(res.status).toBe(303);
  const pageUrl = locationOf(res, idp.url);
  expect(new URL(pageUrl).pathname).toMatch(/^\/auth\/open\/interaction\/[A-Za-z0-9_-]+$/);
  const page = await browse(jar, pageUrl);
  expect(page.status).toBe(200);
  return { ...flow, pageUrl, html: await page.text() } satisfies Flow;
}

/** Submits the login form and follows the redirects back to the portal; returns the callback URL. */
async function submit(idp: TestIdentity, flow: Flow, fields: Record<string, string>): Promise<URL> {
  let res = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), ...fields }));
  for (let hops = 0; res.status === 303 && !locationOf(res, idp.url).startsWith(PORTAL.redirectUri); hops++) {
    expect(hops).toBeLessThan(5);
    res = await browse(flow.jar, locationOf(res, idp.url));
  }
  expect(res.status).toBe(303);
  return new URL(locationOf(res, idp.url));
}

async function exchange(idp: TestIdentity, code: string, verifier: string, auth: 'basic' | 'post' = 'basic') {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: PORTAL.redirectUri,
    code_verifier: verifier,
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') headers.authorization = basic;
  else {
    body.set('client_id', PORTAL.clientId);
    body.set('client_secret', PORTAL.secret);
  }
  const res = await fetch(`${idp.issuer}/connect/token`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('test eID', () => {
  let idp: TestIdentity;
  let verifyIdToken: (token: string) => Promise<JWTPayload>;

  /** A whole login as the given national id; returns the verified ID token's claims. */
  async function loginAs(nationalId: string, params: Record<string, string | undefined> = {}, jar?: CookieJar) {
    const flow = await openLogin(idp, params, jar);
    const callback = await submit(idp, flow, { nationalId });
    expect(callback.searchParams.get('state')).toBe(flow.state);
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    const { status, body } = await exchange(idp, callback.searchParams.get('code')!, flow.pkce.verifier);
    expect(status).toBe(200);
    const claims = await verifyIdToken(body.id_token!);
    expect(claims.nonce).toBe(flow.nonce);
    return claims;
  }

  beforeAll(async () => {
    idp = await startTestIdentity();
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/.well-known/openid-configuration/jwks`));
    verifyIdToken = async (token) =>
      (await jwtVerify(token, jwks, { issuer: idp.issuer, audience: PORTAL.clientId, algorithms: ['RS256'] })).payload;
  });
  afterAll(() => idp.close());

  it('advertises the authorization code flow with PKCE, the methods and the claims', async () => {
    const doc = (await (await fetch(idp.discoveryUrl)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      authorization_endpoint: `${idp.issuer}/connect/authorize`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      claims_parameter_supported: true,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'signicat-api']));
    expect(doc.acr_values_supported).toEqual(expect.arrayContaining(['nbid-sign', 'sbid-sign', 'mitid', 'ftn-sign']));
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining(['name', 'birthdate', 'national_id', 'country', 'acr', 'auth_time', 'esign_digests']),
    );
  });

  it('shows an accessible, framing-proof login page naming the method and every test identity', async () => {
    const flow = await openLogin(idp, { esign_digests: DIGESTS.join(',') });
    const page = await browse(flow.jar, flow.pageUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:8081");
    const { html } = flow;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<h1>Log in with nbid-sign <span class="muted">(test eID)</span></h1>');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!127)/);
    for (const [nationalId, name] of [
      ['01017012345', 'Kari Nordmann'],
      ['197503031234', 'Anna Andersson'],
      ['0505651234', 'Mette Hansen'],
      ['070777-1234', 'Matti Meikäläinen'],
    ]) {
      expect(html).toContain(`<button type="submit" name="nationalId" value="${nationalId}">`);
      expect(html).toContain(name);
    }
    expect(html).toContain('<label for="national-id">National identity number</label>');
    expect(html).toContain('id="national-id" name="nationalId"');
    expect(html).toContain('name="action" value="login"');
    expect(html).toContain('name="action" value="cancel"');
    for (const digest of DIGESTS) expect(html).toContain(`<code>${digest}</code>`);
    expect(html.match(/name="csrf"/g)).toHaveLength(3);
  });

  it('logs in a chosen identity and signs its claims, the method and the documents into the ID token', async () => {
    const claims = await loginAs('01017012345', { esign_digests: DIGESTS.join(',') });
    expect(claims).toMatchObject({
      sub: accountIdFor('NO', '01017012345'),
      name: 'Kari Nordmann',
      given_name: 'Kari',
      family_name: 'Nordmann',
      birthdate: '1970-01-01',
      national_id: '01017012345',
      country: 'NO',
      acr: 'nbid-sign',
      esign_digests: DIGESTS,
    });
    expect(claims.sub).toMatch(/^test-eid-[0-9a-f]{32}$/);
    expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(10);
  });

  it('gives only sub, the method and the digests for scope openid alone', async () => {
    const claims = await loginAs('0606951234', { scope: 'openid', esign_digests: DIGESTS[0] });
    expect(claims).toMatchObject({
      sub: accountIdFor('DK', '0606951234'),
      acr: 'nbid-sign',
      esign_digests: [DIGESTS[0]],
    });
    for (const claim of ['name', 'given_name', 'family_name', 'birthdate', 'national_id', 'country']) {
      expect(claims).not.toHaveProperty(claim);
    }
  });

  it('takes a typed national id, ignoring spaces and hyphens, and client_secret_post', async () => {
    const flow = await openLogin(idp, { acr_values: 'ftn-sign' });
    const callback = await submit(idp, flow, { nationalId: ' 070777 1234 ', action: 'login' });
    const { status, body } = await exchange(idp, callback.searchParams.get('code')!, flow.pkce.verifier, 'post');
    expect(status).toBe(200);
    const claims = await verifyIdToken(body.id_token!);
    expect(claims).toMatchObject({ national_id: '070777-1234', country: 'FI', acr: 'ftn-sign' });
    expect(claims).not.toHaveProperty('esign_digests');
  });

  it('logs in afresh every time, in the same browser, and keeps sub stable per person', async () => {
    const jar = new CookieJar();
    const first = await loginAs('01017012345', { acr_values: 'nbid' }, jar);
    const second = await loginAs('197503031234', { acr_values: 'sbid-sign' }, jar);
    const third = await loginAs('01017012345', {}, jar);
    expect(second).toMatchObject({ name: 'Anna Andersson', acr: 'sbid-sign' });
    expect(third.sub).toBe(first.sub);
    expect(second.sub).not.toBe(first.sub);
  });

  it('shows the page again with an error for an unknown or empty national id, escaping what was typed', async () => {
    const flow = await openLogin(idp);
    const res = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), nationalId: '<b>"x"</b>' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('role="alert">No test identity has the national identity number &lt;b&gt;&quot;x&quot;');
    expect(html).toContain('value="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('<b>');

    const empty = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), nationalId: '' }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter a national identity number');

    // The login is still open afterwards.
    const callback = await submit(idp, flow, { nationalId: '02028012345' });
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a form without the page token or without the browser interaction cookie', async () => {
    const flow = await openLogin(idp);
    const forged = await browse(flow.jar, flow.pageUrl, form({ csrf: 'forged', nationalId: '01017012345' }));
    expect(forged.status).toBe(403);
    const missing = await browse(flow.jar, flow.pageUrl, form({ nationalId: '01017012345' }));
    expect(missing.status).toBe(403);

    const otherBrowser = await browse(
      new CookieJar(),
      flow.pageUrl,
      form({ csrf: csrfOf(flow.html), nationalId: '01017012345' }),
    );
    expect(otherBrowser.status).toBe(400);
    expect(await otherBrowser.text()).toContain('This login is no longer open');

    const json = await browse(flow.jar, flow.pageUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const big = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), nationalId: 'x'.repeat(10_000) }));
    expect(big.status).toBe(413);
  });

  it('answers a login page that is over with an error page', async () => {
    const flow = await openLogin(idp);
    await submit(idp, flow, { nationalId: '01017012345' });
    const again = await browse(flow.jar, flow.pageUrl);
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('sends the signer back with access_denied on cancel', async () => {
    const flow = await openLogin(idp);
    const callback = await submit(idp, flow, { action: 'cancel' });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(flow.state);
    expect(callback.searchParams.get('code')).toBeNull();
  });

  describe('refuses bad authorization requests', () => {
    /** The error the request is redirected to the portal with. */
    async function redirectedError(params: Record<string, string | undefined>) {
      const res = await browse(
        new CookieJar(),
        authorizationUrl(idp.issuer, { pkce: pkce(), state: 'st', nonce: 'n', params }),
      );
      expect(res.status).toBe(303);
      const location = new URL(locationOf(res, idp.url));
      expect(`${location.origin}${location.pathname}`).toBe(PORTAL.redirectUri);
      expect(location.searchParams.get('state')).toBe('st');
      return { error: location.searchParams.get('error'), description: location.searchParams.get('error_description') };
    }

    it('without PKCE, or with the plain method', async () => {
      const missing = await redirectedError({ code_challenge: undefined, code_challenge_method: undefined });
      expect(missing).toEqual({ error: 'invalid_request', description: expect.stringMatching(/PKCE/) });
      const plain = await redirectedError({ code_challenge_method: 'plain' });
      expect(plain.error).toBe('invalid_request');
    });

    it('with malformed esign_digests', async () => {
      for (const esign_digests of [
        DIGESTS[0]!.toUpperCase(),
        'abc',
        `${DIGESTS[0]},`,
        `${DIGESTS[0]} ${DIGESTS[1]}`,
        Array.from({ length: 51 }, (_, i) => sha256(String(i))).join(','),
      ]) {
        const { error, description } = await redirectedError({ esign_digests });
        expect(error).toBe('invalid_request');
        expect(description).toMatch(/esign_digests/);
      }
    });

    it('with esign_digests also asked for in the claims parameter, or malformed there', async () => {
      const claims = (values: unknown) => JSON.stringify({ id_token: { esign_digests: { values } } });
      expect((await redirectedError({ esign_digests: DIGESTS[0], claims: claims([DIGESTS[0]]) })).error).toBe(
        'invalid_request',
      );
      expect((await redirectedError({ claims: claims(['nope']) })).error).toBe('invalid_request');
    });

    it('without a valid identity method in acr_values', async () => {
      for (const acr_values of [undefined, 'nbid sign!', 'x'.repeat(65)]) {
        const { error, description } = await redirectedError({ acr_values });
        expect(error).toBe('invalid_request');
        expect(description).toMatch(/acr_values/);
      }
    });

    it('with prompt=none, since every request shows the login page', async () => {
      expect((await redirectedError({ prompt: 'none' })).error).toBe('login_required');
    });

    it('with a scope the portal may not have', async () => {
      expect((await redirectedError({ scope: 'openid signicat-api' })).error).toBe('invalid_scope');
    });

    it('with an unregistered redirect_uri, without redirecting there (JSON, or a page for browsers)', async () => {
      const url = authorizationUrl(idp.issuer, {
        pkce: pkce(),
        state: 'st',
        nonce: 'n',
        params: { redirect_uri: 'https://evil.example/std/callback' },
      });
      const res = await browse(new CookieJar(), url);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.json()).toMatchObject({ error: 'invalid_redirect_uri' });

      const page = await browse(new CookieJar(), url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(400);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(await page.text()).toContain('invalid_redirect_uri');
    });

    it('from a merchant client, which has no redirect URIs', async () => {
      const url = new URL(authorizationUrl(idp.issuer, { pkce: pkce(), state: 'st', nonce: 'n' }));
      url.searchParams.set('client_id', 'demo-merchant');
      const res = await browse(new CookieJar(), url.href);
      expect(res.status).toBe(400);
    });
  });

  describe('at the token endpoint', () => {
    it('refuses a wrong code verifier, a reused code, and a wrong redirect_uri', async () => {
      const flow = await openLogin(idp);
      const code = (await submit(idp, flow, { nationalId: '01017012345' })).searchParams.get('code')!;
      expect((await exchange(idp, code, pkce().verifier)).body.error).toBe('invalid_grant');

      const flow2 = await openLogin(idp);
      const code2 = (await submit(idp, flow2, { nationalId: '01017012345' })).searchParams.get('code')!;
      const wrongUri = await fetch(`${idp.issuer}/connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: code2,
          redirect_uri: 'http://127.0.0.1:8081/other',
          code_verifier: flow2.pkce.verifier,
        }),
      });
      expect(wrongUri.status).toBe(400);

      const flow3 = await openLogin(idp);
      const code3 = (await submit(idp, flow3, { nationalId: '01017012345' })).searchParams.get('code')!;
      expect((await exchange(idp, code3, flow3.pkce.verifier)).status).toBe(200);
      expect((await exchange(idp, code3, flow3.pkce.verifier)).body.error).toBe('invalid_grant');
    });

    it('refuses a wrong portal secret', async () => {
      const flow = await openLogin(idp);
      const code = (await submit(idp, flow, { nationalId: '01017012345' })).searchParams.get('code')!;
      const res = await fetch(`${idp.issuer}/connect/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${PORTAL.clientId}:wrong-secret`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: PORTAL.redirectUri,
          code_verifier: flow.pkce.verifier,
        }),
      });
      expect(res.status).toBe(401);
    });

    it('gives the portal no client-credentials token, and merchants their usual one', async () => {
      const portal = await requestToken(idp.tokenUrl, { clientId: PORTAL.clientId, secret: PORTAL.secret });
      expect(portal.status).toBe(400);
      expect(portal.body).toMatchObject({
        error: 'invalid_request',
        error_description: 'requested grant type is not allowed for this client',
      });
      const merchant = await requestToken(idp.tokenUrl, { clientId: 'demo-merchant', secret: 'demo-secret' });
      expect(merchant.status).toBe(200);
      expect(decodeJwt(merchant.body.access_token!)).toMatchObject({
        merchant_id: 'demo-merchant',
        aud: 'signicat-api',
      });
    });
  });
});

describe('test eID configuration', () => {
  it('is off without a signing-portal client: discovery is client credentials only, as before', async () => {
    const dir = tempDir();
    const clients = [{ clientId: 'm1', secret: 'm1-secret', merchantId: 'm1', name: 'M1' }];
    const idp = await startTestIdentity({ IDENTITY_CLIENTS_FILE: writeClientsFile(dir, { clients }) }, dir);
    try {
      const doc = (await (await fetch(idp.discoveryUrl)).json()) as Record<string, unknown>;
      expect(doc.grant_types_supported).toEqual(['client_credentials']);
      expect(doc.response_types_supported).toEqual([]);
      expect(doc.scopes_supported).toEqual(['signicat-api', 'openid']);
      expect(doc.claims_parameter_supported).toBe(false);
      expect(doc).not.toHaveProperty('acr_values_supported');
    } finally {
      await idp.close();
    }
  });

  it('takes the redirect URIs from IDENTITY_PORTAL_REDIRECT_URIS over the file and SIGNING_PORTAL_URL', async () => {
    const dir = tempDir();
    const clients = [
      { kind: 'signing-portal', clientId: 'p1', secret: 'p1-secret', redirectUris: ['http://file.test/cb'] },
    ];
    const env = {
      IDENTITY_CLIENTS_FILE: writeClientsFile(dir, { clients }),
      SIGNING_PORTAL_URL: 'http://portal.test',
      IDENTITY_PORTAL_REDIRECT_URIS: 'http://127.0.0.1:9999/std/callback, http://localhost:9999/std/callback',
    };
    const idp = await startTestIdentity(env, dir);
    try {
      const ask = (redirectUri: string) => {
        const url = new URL(authorizationUrl(idp.issuer, { pkce: pkce(), state: 's', nonce: 'n' }));
        url.searchParams.set('client_id', 'p1');
        url.searchParams.set('redirect_uri', redirectUri);
        return browse(new CookieJar(), url.href);
      };
      expect((await ask('http://localhost:9999/std/callback')).status).toBe(303);
      expect((await ask('http://127.0.0.1:9999/std/callback')).status).toBe(303);
      expect((await ask('http://file.test/cb')).status).toBe(400);
      expect((await ask('http://portal.test/std/callback')).status).toBe(400);
    } finally {
      await idp.close();
    }
  });
});
