import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { basic, exchange, openLogin, submit, testEidUnderTest } from './test-eid-flow.js';
import { pkce, PORTAL, requestToken, type TestIdentity } from './test-support.js';

// The test eID's token endpoint: codes bound to their verifier, redirect URI and portal secret, and the grants.
describe('test eID', () => {
  const eid = testEidUnderTest();
  let idp: TestIdentity;
  beforeAll(() => {
    idp = eid.idp();
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
