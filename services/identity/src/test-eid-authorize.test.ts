import { beforeAll, describe, expect, it } from 'vitest';
import { DIGESTS, sha256, testEidUnderTest } from './test-eid-flow.js';
import { authorizationUrl, browse, CookieJar, locationOf, pkce, PORTAL, type TestIdentity } from './test-support.js';

// Authorization requests the test eID refuses: redirected back to the portal with an error, or answered in place.
describe('test eID', () => {
  const eid = testEidUnderTest();
  let idp: TestIdentity;
  beforeAll(() => {
    idp = eid.idp();
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
});
