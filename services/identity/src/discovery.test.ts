import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdentity, type TestIdentity } from './test-support.js';

const PUBLIC = 'https://sign.example.test';
type Discovery = Record<string, unknown> & { issuer: string; token_endpoint: string; jwks_uri: string };

const endpointsOf = (doc: Discovery) =>
  Object.entries(doc)
    .filter(([key]) => key.endsWith('_endpoint') || key === 'jwks_uri')
    .map(([, value]) => value as string);

describe('discovery', () => {
  let idp: TestIdentity;
  beforeAll(async () => {
    idp = await startTestIdentity();
  });
  afterAll(() => idp.close());

  it('advertises the issuer, the Sign API token endpoint, client credentials and the test eID code flow', async () => {
    const res = await fetch(idp.discoveryUrl);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Discovery;
    expect(doc.issuer).toBe(`${idp.url}/auth/open`);
    expect(doc.token_endpoint).toBe(`${idp.url}/auth/open/connect/token`);
    expect(doc.jwks_uri).toBe(`${idp.url}/auth/open/.well-known/openid-configuration/jwks`);
    expect(doc.authorization_endpoint).toBe(`${idp.url}/auth/open/connect/authorize`);
    // authorization_code is the test eID's, for the signing portal only (test-eid.test.ts).
    expect(doc.grant_types_supported).toEqual(['authorization_code', 'client_credentials']);
    expect(doc.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(doc.scopes_supported).toContain('signicat-api');
    for (const url of endpointsOf(doc)) expect(url.startsWith(`${doc.issuer}/`)).toBe(true);
  });

  it('publishes public signing keys only', async () => {
    const doc = (await (await fetch(idp.discoveryUrl)).json()) as Discovery;
    const { keys } = (await (await fetch(doc.jwks_uri)).json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('answers health and readiness on the same port, and 404 outside the mount path', async () => {
    expect((await fetch(`${idp.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${idp.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true });
    expect((await fetch(`${idp.url}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${idp.url}/auth/openx`)).status).toBe(404);
  });
});

describe('discovery under forged Host and X-Forwarded-* headers (issue 29, finding 12)', () => {
  let idp: TestIdentity;
  beforeAll(async () => {
    idp = await startTestIdentity({ PUBLIC_URL: PUBLIC });
  });
  afterAll(() => idp.close());

  it('advertises only the configured public origin, whatever the request says its origin is', async () => {
    const forgeries: Record<string, string>[] = [
      {},
      { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      { 'x-forwarded-host': 'evil.example, sign.example.test', 'x-forwarded-port': '8443' },
      { host: 'evil.example' },
      { forwarded: 'host=evil.example;proto=http' },
    ];
    for (const headers of forgeries) {
      const doc = (await (await fetch(idp.discoveryUrl, { headers })).json()) as Discovery;
      const what = JSON.stringify(headers);
      expect(doc.issuer, what).toBe(`${PUBLIC}/auth/open`);
      expect(doc.token_endpoint, what).toBe(`${PUBLIC}/auth/open/connect/token`);
      expect(doc.authorization_endpoint, what).toBe(`${PUBLIC}/auth/open/connect/authorize`);
      expect(doc.jwks_uri, what).toBe(`${PUBLIC}/auth/open/.well-known/openid-configuration/jwks`);
      for (const url of endpointsOf(doc)) expect(url.startsWith(`${PUBLIC}/auth/open/`), what).toBe(true);
      expect(JSON.stringify(doc), what).not.toContain('evil.example');
    }
  });
});
