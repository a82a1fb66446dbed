import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browse,
  CookieJar,
  csrfOf,
  form,
  locationOf,
  PORTAL,
  startTestIdentity,
  type TestIdentity,
} from './test-support.js';

// The signing portal talks to identity methods with openid-client (contract §7): the test eID must work with it as
// it is, discovery, PKCE, the iss response parameter and ID token checks included.
describe('test eID with openid-client', () => {
  let idp: TestIdentity;
  beforeAll(async () => {
    idp = await startTestIdentity();
  });
  afterAll(() => idp.close());

  for (const auth of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`completes the authorization code flow with PKCE (${auth})`, async () => {
      const config = await client.discovery(
        new URL(idp.issuer),
        PORTAL.clientId,
        PORTAL.secret,
        auth === 'client_secret_basic'
          ? client.ClientSecretBasic(PORTAL.secret)
          : client.ClientSecretPost(PORTAL.secret),
        { execute: [client.allowInsecureRequests] },
      );
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const digest = 'c'.repeat(64);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: PORTAL.redirectUri,
        scope: 'openid profile',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        acr_values: 'mitid',
        esign_digests: digest,
      });

      // The browser's part: the login page, one identity chosen, the redirects back.
      const jar = new CookieJar();
      const pageUrl = locationOf(await browse(jar, url.href), idp.url);
      const html = await (await browse(jar, pageUrl)).text();
      let res = await browse(jar, pageUrl, form({ csrf: csrfOf(html), nationalId: '0505651234' }));
      while (!locationOf(res, idp.url).startsWith(PORTAL.redirectUri))
        res = await browse(jar, locationOf(res, idp.url));

      const tokens = await client.authorizationCodeGrant(config, new URL(locationOf(res, idp.url)), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()).toMatchObject({
        iss: idp.issuer,
        aud: PORTAL.clientId,
        name: 'Mette Hansen',
        national_id: '0505651234',
        country: 'DK',
        birthdate: '1965-05-05',
        acr: 'mitid',
        esign_digests: [digest],
        nonce,
      });
    });
  }
});
