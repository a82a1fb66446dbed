import { request } from 'node:http';
import type { DiagnosticRoundtripResult } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gatewayOperatorUrl, gatewayUrl, stackClients } from '../support/clients.js';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';

const stack = inject('stack');
const OPERATOR_TOKEN = 'operator-token-for-the-tests-0123456789';
const portalUrl = (path: string) => `http://127.0.0.1:${stack.env.PORTAL_PORT}${path}`;
const portalOperatorUrl = (path: string) => `http://127.0.0.1:${stack.env.PORTAL_OPERATOR_PORT}${path}`;
const roundtrip = (url: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers });

/** A GET with headers fetch will not send as given (`Host`), answered as parsed JSON. */
function getJson(url: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>));
    });
    req.on('error', reject);
    req.end();
  });
}

// Issue 29, findings 7 and 12: the diagnostics were open and on by default, health and metrics were public beside
// the API, and discovery advertised whatever host a client named. What is public now is the API, the token
// endpoint and the portal; the rest is on operator ports, and URLs come from the configuration.
describe('the public surface', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  let byDefault: ExtraGateway;
  let withToken: ExtraGateway;
  beforeAll(async () => {
    [c, byDefault, withToken] = await Promise.all([
      stackClients(),
      startExtraGateway({ DIAGNOSTICS_ENABLED: undefined }),
      startExtraGateway({ DIAGNOSTICS_ENABLED: 'true', DIAGNOSTICS_TOKEN: OPERATOR_TOKEN }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byDefault?.stop(), withToken?.stop()]);
    await c?.close();
  });

  it('serves no health, metrics or diagnostics on the public ports of the gateway and the portal', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await fetch(gatewayUrl(path))).status, `gateway ${path}`).toBe(404);
      expect((await fetch(portalUrl(path))).status, `portal ${path}`).toBe(404);
      expect((await fetch(gatewayOperatorUrl(path))).status, `gateway operator ${path}`).toBe(200);
      expect((await fetch(portalOperatorUrl(path))).status, `portal operator ${path}`).toBe(200);
    }
    const refused = await roundtrip(gatewayUrl('/diagnostics/roundtrip'));
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    // Nor is the operator port a second way into the API.
    expect((await fetch(gatewayOperatorUrl('/enterprise/sign/openapi.json'))).status).toBe(404);
  });

  it('has the diagnostics off unless enabled', async () => {
    expect((await fetch(byDefault.operatorUrl('/healthz'))).status).toBe(200);
    const res = await roundtrip(byDefault.operatorUrl('/diagnostics/roundtrip'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('with DIAGNOSTICS_TOKEN, answers only the operator presenting it', async () => {
    const url = withToken.operatorUrl('/diagnostics/roundtrip');
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: OPERATOR_TOKEN },
    ];
    for (const headers of attempts) {
      const res = await roundtrip(url, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    }
    expect(
      (await roundtrip(withToken.url('/diagnostics/roundtrip'), { authorization: `Bearer ${OPERATOR_TOKEN}` })).status,
    ).toBe(404);
    const ok = await roundtrip(url, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as DiagnosticRoundtripResult).cleanedUp).toBe(true);
  });

  it('leaves no probe object in S3 and no key in Redis behind', async () => {
    const before = await c.redis.keys(`${c.config.redis.keyPrefix}diagnostics:*`);
    const res = await roundtrip(gatewayOperatorUrl('/diagnostics/roundtrip'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as DiagnosticRoundtripResult;
    expect(body.cleanedUp).toBe(true);
    await expect(c.s3.statObject(body.s3.bucket, body.s3.key)).rejects.toMatchObject({ code: 'NotFound' });
    expect(await c.redis.exists(body.redisKey)).toBe(0);
    const left: string[] = [];
    for await (const o of c.s3.listObjectsV2(body.s3.bucket, 'diagnostics/', true))
      left.push((o as { name: string }).name);
    expect(left).toEqual([]);
    expect(await c.redis.keys(`${c.config.redis.keyPrefix}diagnostics:*`)).toEqual(before);
  });

  it('advertises the configured issuer in discovery, whatever Host or X-Forwarded-* a client sends', async () => {
    const issuer = `${stack.env.PUBLIC_URL}/auth/open`;
    const forged: Record<string, string>[] = [
      { host: 'evil.example' },
      { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      { host: 'evil.example:8443', 'x-forwarded-host': 'evil.example', 'x-forwarded-port': '8443' },
    ];
    const identity = `http://127.0.0.1:${stack.env.IDENTITY_PORT}`;
    for (const origin of [gatewayUrl(), identity]) {
      for (const headers of forged) {
        const doc = await getJson(`${origin}/auth/open/.well-known/openid-configuration`, headers);
        const what = `${origin} ${JSON.stringify(headers)}`;
        expect(doc.issuer, what).toBe(issuer);
        expect(doc.token_endpoint, what).toBe(`${issuer}/connect/token`);
        expect(doc.authorization_endpoint, what).toBe(`${issuer}/connect/authorize`);
        expect(doc.jwks_uri, what).toBe(`${issuer}/.well-known/openid-configuration/jwks`);
        expect(JSON.stringify(doc), what).not.toContain('evil.example');
      }
    }
  });
});
