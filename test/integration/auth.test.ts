import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { gatewayUrl } from '../support/clients.js';
import { accessToken, MERCHANTS } from '../support/merchants.js';
import { tokenRequest } from '../support/token.js';

// Tokens are checked against the real identity service's keys; the forged ones below are signed with its real
// private key (read from the stack's data dir) so that exactly one property of each is wrong.
const stack = inject('stack');
const issuer = `http://127.0.0.1:${stack.env.GATEWAY_PORT}/auth/open`;
const probePath = '/enterprise/sign/documents/AAAAAAAAAAAAAAAAAAAAAA';

async function call(authorization?: string): Promise<Response> {
  return fetch(gatewayUrl(probePath), { headers: authorization ? { authorization } : {} });
}

async function expectProblem(res: Response, status: number): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
  return body;
}

describe('merchant API authentication', () => {
  let signingKey: Awaited<ReturnType<typeof importJWK>>;
  let kid: string;
  let alg: string;
  const now = () => Math.floor(Date.now() / 1000);
  const forge = (
    claims: Record<string, unknown>,
    opts: { iss?: string; aud?: string; exp?: number; nbf?: number } = {},
  ) =>
    new SignJWT({ scope: 'signicat-api', merchant_id: 'demo-merchant', client_id: 'demo-merchant', ...claims })
      .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
      .setIssuer(opts.iss ?? issuer)
      .setAudience(opts.aud ?? 'signicat-api')
      .setIssuedAt()
      .setNotBefore(opts.nbf ?? now() - 5)
      .setExpirationTime(opts.exp ?? now() + 300)
      .sign(signingKey);

  beforeAll(async () => {
    const file = JSON.parse(readFileSync(join(stack.dataDir, 'identity', 'jwks.json'), 'utf8')) as { keys: JWK[] };
    const jwk = file.keys[0]!;
    kid = jwk.kid!;
    alg = jwk.alg!;
    signingKey = await importJWK(jwk, alg);
  });

  it('issues a JWT through the API origin that opens the API for its merchant', async () => {
    const token = await accessToken('demo');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: issuer,
      aud: 'signicat-api',
      scope: 'signicat-api',
      merchant_id: 'demo-merchant',
    });
    expect(claims.exp! - claims.iat!).toBe(600);
    // Authenticated: the document simply does not exist (404), rather than 401.
    await expectProblem(await call(`Bearer ${token}`), 404);
  });

  it('accepts a forged-but-valid token signed by the real key (control for the cases below)', async () => {
    await expectProblem(await call(`Bearer ${await forge({})}`), 404);
  });

  const rejected: Array<[string, () => Promise<string>, number]> = [
    ['expired', () => forge({}, { exp: now() - 120, nbf: now() - 700 }), 401],
    ['not yet valid', () => forge({}, { nbf: now() + 600, exp: now() + 1200 }), 401],
    ['from another issuer', () => forge({}, { iss: 'https://evil.example/auth/open' }), 401],
    ['for another audience', () => forge({}, { aud: 'some-other-api' }), 401],
    ['without a merchant', () => forge({ merchant_id: undefined }), 401],
    ['without the scope', () => forge({ scope: 'openid profile' }), 403],
  ];
  for (const [name, token, status] of rejected) {
    it(`rejects a token ${name} with ${status}`, async () => {
      const res = await call(`Bearer ${await token()}`);
      await expectProblem(res, status);
      const challenge = res.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain(status === 403 ? 'error="insufficient_scope"' : 'error="invalid_token"');
    });
  }

  it('rejects a token signed by a foreign key with the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const token = await new SignJWT({ scope: 'signicat-api', merchant_id: 'demo-merchant' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setAudience('signicat-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expectProblem(await call(`Bearer ${token}`), 401);
  });

  it('rejects alg none, an HMAC-signed token, garbage, and no token at all', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const payload = {
      iss: issuer,
      aud: 'signicat-api',
      scope: 'signicat-api',
      merchant_id: 'demo-merchant',
      exp: now() + 300,
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    await expectProblem(await call(`Bearer ${none}`), 401);
    const hmac = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(new TextEncoder().encode(kid));
    await expectProblem(await call(`Bearer ${hmac}`), 401);
    await expectProblem(await call('Bearer not.a.jwt'), 401);
    await expectProblem(await call('Bearer %%%'), 401);
    await expectProblem(await call(`Basic ${Buffer.from('demo-merchant:demo-secret').toString('base64')}`), 401);
    const missing = await call();
    await expectProblem(missing, 401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    const res = await tokenRequest(gatewayUrl('/auth/open/connect/token'), MERCHANTS.demo.clientId, 'wrong', 'post');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('ignores the optional Signicat-OrganizationId header and signicat-accountId parameter', async () => {
    const token = await accessToken('demo');
    const res = await fetch(gatewayUrl(`${probePath}?signicat-accountId=a1`), {
      headers: { authorization: `Bearer ${token}`, 'Signicat-OrganizationId': 'org-1' },
    });
    await expectProblem(res, 404);
  });
});
