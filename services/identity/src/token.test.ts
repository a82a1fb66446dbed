import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestToken, startTestIdentity, type TestIdentity } from './test-support.js';

const demo = { clientId: 'demo-merchant', secret: 'demo-secret' };

describe('token endpoint', () => {
  let idp: TestIdentity;
  let verify: (token: string) => ReturnType<typeof jwtVerify>;
  beforeAll(async () => {
    idp = await startTestIdentity();
    const jwks = createRemoteJWKSet(new URL(`${idp.url}/auth/open/.well-known/openid-configuration/jwks`));
    verify = (token) => jwtVerify(token, jwks, { issuer: idp.issuer, audience: 'signicat-api', typ: 'at+jwt' });
  });
  afterAll(() => idp.close());

  it('issues a signed JWT to a client authenticating with HTTP Basic', async () => {
    const { status, body } = await requestToken(idp.tokenUrl, demo);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'signicat-api' });
    const { payload } = await verify(body.access_token!);
    expect(payload).toMatchObject({
      iss: `${idp.url}/auth/open`,
      aud: 'signicat-api',
      scope: 'signicat-api',
      client_id: 'demo-merchant',
      merchant_id: 'demo-merchant',
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toEqual(expect.any(String));
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(10);
  });

  it('issues one to a client sending its credentials as form fields, for its own merchant', async () => {
    const other = { clientId: 'other-merchant', secret: 'other-secret', via: 'post' } as const;
    const { status, body } = await requestToken(idp.tokenUrl, other);
    expect(status).toBe(200);
    const { payload, protectedHeader } = await verify(body.access_token!);
    expect(payload).toMatchObject({ client_id: 'other-merchant', merchant_id: 'other-merchant' });
    expect(protectedHeader.alg).toBe('RS256');
  });

  it('defaults a missing or empty scope to signicat-api', async () => {
    for (const scope of [undefined, '']) {
      const { status, body } = await requestToken(idp.tokenUrl, { ...demo, form: { scope } });
      expect(status).toBe(200);
      expect((await verify(body.access_token!)).payload.scope).toBe('signicat-api');
    }
  });

  it('refuses a wrong secret with 401 invalid_client, by Basic or form', async () => {
    for (const via of ['basic', 'post'] as const) {
      const { status, body } = await requestToken(idp.tokenUrl, { ...demo, secret: 'other-secret', via });
      expect(status).toBe(401);
      expect(body.error).toBe('invalid_client');
      expect(body.access_token).toBeUndefined();
    }
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    const { status, body } = await requestToken(idp.tokenUrl, { clientId: 'nobody', secret: 'demo-secret' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('refuses any other scope with 400 invalid_scope', async () => {
    for (const scope of ['openid', 'signicat-api admin']) {
      const { status, body } = await requestToken(idp.tokenUrl, { ...demo, form: { scope } });
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_scope');
    }
  });

  it('refuses other grants with unsupported_grant_type', async () => {
    for (const grant_type of ['password', 'refresh_token']) {
      const { status, body } = await requestToken(idp.tokenUrl, { ...demo, form: { grant_type } });
      expect(status).toBe(400);
      expect(body.error).toBe('unsupported_grant_type');
    }
  });

  it("refuses the test eID's authorization_code grant to merchants", async () => {
    // The server supports it (for the signing portal); oidc-provider answers invalid_request for other clients.
    const form = { grant_type: 'authorization_code', code: 'x', redirect_uri: 'http://127.0.0.1:8081/std/callback' };
    const { status, body } = await requestToken(idp.tokenUrl, { ...demo, form });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
    expect(body.access_token).toBeUndefined();
  });

  it('refuses a resource indicator other than the API', async () => {
    const { status, body } = await requestToken(idp.tokenUrl, { ...demo, form: { resource: 'https://evil.test' } });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_target');
  });

  it('signs with the published key', async () => {
    const { body } = await requestToken(idp.tokenUrl, demo);
    const jwks = (await (await fetch(`${idp.url}/auth/open/.well-known/openid-configuration/jwks`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(body.access_token!).kid);
  });
});
