// The test eID's browser flow for this package's tests: a test identity server per suite, a login page opened, the
// login form submitted, the code exchanged at the token endpoint, and the ID token verified.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  authorizationUrl,
  browse,
  CookieJar,
  csrfOf,
  form,
  locationOf,
  pkce,
  PORTAL,
  startTestIdentity,
  type Pkce,
  type TestIdentity,
} from './test-support.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const DIGESTS = [sha256('contract.pdf'), sha256('annex.pdf')];
/** The portal's client credentials as an Authorization header. */
export const basic = `Basic ${Buffer.from(`${PORTAL.clientId}:${PORTAL.secret}`).toString('base64')}`;

export interface Flow {
  jar: CookieJar;
  pkce: Pkce;
  state: string;
  nonce: string;
  /** The login page's URL and HTML. */
  pageUrl: string;
  html: string;
}

/** Starts a login: the authorization request, then the login page it redirects to. */
export async function openLogin(
  idp: TestIdentity,
  params: Record<string, string | undefined> = {},
  jar = new CookieJar(),
) {
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
export async function submit(idp: TestIdentity, flow: Flow, fields: Record<string, string>): Promise<URL> {
  let res = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), ...fields }));
  for (let hops = 0; res.status === 303 && !locationOf(res, idp.url).startsWith(PORTAL.redirectUri); hops++) {
    expect(hops).toBeLessThan(5);
    res = await browse(flow.jar, locationOf(res, idp.url));
  }
  expect(res.status).toBe(303);
  return new URL(locationOf(res, idp.url));
}

/** Exchanges an authorization code at the token endpoint, authenticating as the portal. */
export async function exchange(idp: TestIdentity, code: string, verifier: string, auth: 'basic' | 'post' = 'basic') {
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

export interface TestEid {
  /** The server the suite's beforeAll started. */
  idp(): TestIdentity;
  verifyIdToken(token: string): Promise<JWTPayload>;
  /** A whole login as the given national id; returns the verified ID token's claims. */
  loginAs(nationalId: string, params?: Record<string, string | undefined>, jar?: CookieJar): Promise<JWTPayload>;
}

/** Registers the suite's hooks (call it inside a describe): a test identity server with the dev clients, closed after. */
export function testEidUnderTest(): TestEid {
  let idp: TestIdentity | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  beforeAll(async () => {
    idp = await startTestIdentity();
    jwks = createRemoteJWKSet(new URL(`${idp.issuer}/.well-known/openid-configuration/jwks`));
  });
  afterAll(() => idp?.close());

  const server = () => {
    if (!idp) throw new Error('the test identity server is not started yet');
    return idp;
  };
  const verifyIdToken = async (token: string) =>
    (await jwtVerify(token, jwks!, { issuer: server().issuer, audience: PORTAL.clientId, algorithms: ['RS256'] }))
      .payload;
  return {
    idp: server,
    verifyIdToken,
    async loginAs(nationalId, params = {}, jar) {
      const flow = await openLogin(server(), params, jar);
      const callback = await submit(server(), flow, { nationalId });
      expect(callback.searchParams.get('state')).toBe(flow.state);
      expect(callback.searchParams.get('iss')).toBe(server().issuer);
      const { status, body } = await exchange(server(), callback.searchParams.get('code')!, flow.pkce.verifier);
      expect(status).toBe(200);
      const claims = await verifyIdToken(body.id_token!);
      expect(claims.nonce).toBe(flow.nonce);
      return claims;
    },
  };
}
