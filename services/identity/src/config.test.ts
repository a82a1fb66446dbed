import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@esign/config';
import { DEV_CLIENTS_FILE, loadIdentityConfig } from './config.js';

describe('loadIdentityConfig', () => {
  it('defaults to merchant clients only: no test eID people unless named', () => {
    const c = loadIdentityConfig({});
    expect(c.identitiesFile).toBeUndefined();
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      publicUrl: 'http://127.0.0.1:8080',
      audience: 'signicat-api',
      tokenTtlSeconds: 600,
      clientsFile: DEV_CLIENTS_FILE,
      keysFile: resolve('.data', 'identity', 'jwks.json'),
      portalRedirectUris: ['http://127.0.0.1:8081/std/callback'],
      portalRedirectUrisFromEnv: false,
    });
  });

  it("derives the portal's redirect URI from SIGNING_PORTAL_URL, unless IDENTITY_PORTAL_REDIRECT_URIS lists them", () => {
    expect(loadIdentityConfig({ SIGNING_PORTAL_URL: 'https://sign.example.test/portal/' }).portalRedirectUris).toEqual([
      'https://sign.example.test/portal/std/callback',
    ]);
    const c = loadIdentityConfig({
      SIGNING_PORTAL_URL: 'https://sign.example.test',
      IDENTITY_PORTAL_REDIRECT_URIS: ' http://127.0.0.1:9001/std/callback ,https://a.test/cb',
    });
    expect(c).toMatchObject({
      portalRedirectUris: ['http://127.0.0.1:9001/std/callback', 'https://a.test/cb'],
      portalRedirectUrisFromEnv: true,
    });
    expect(loadIdentityConfig({ IDENTITY_PORTAL_REDIRECT_URIS: ' ' }).portalRedirectUrisFromEnv).toBe(false);
    for (const bad of ['not a url', 'https://a.test/cb,,https://b.test/cb', 'ftp://a.test/cb', 'https://a.test/cb#x']) {
      expect(() => loadIdentityConfig({ IDENTITY_PORTAL_REDIRECT_URIS: bad }), bad).toThrow(
        /IDENTITY_PORTAL_REDIRECT_URIS/,
      );
    }
    expect(() => loadIdentityConfig({ SIGNING_PORTAL_URL: 'portal' })).toThrow(/SIGNING_PORTAL_URL/);
  });

  it('reads the test identities from IDENTITY_TEST_IDENTITIES_FILE', () => {
    expect(loadIdentityConfig({ IDENTITY_TEST_IDENTITIES_FILE: 'ids.json' }).identitiesFile).toBe(resolve('ids.json'));
  });

  it('puts the keys under ESIGN_DATA_DIR unless IDENTITY_KEYS_FILE names them', () => {
    expect(loadIdentityConfig({ ESIGN_DATA_DIR: '/srv/esign' }).keysFile).toBe('/srv/esign/identity/jwks.json');
    const c = loadIdentityConfig({ ESIGN_DATA_DIR: '/srv/esign', IDENTITY_KEYS_FILE: '/run/keys.json' });
    expect(c.keysFile).toBe('/run/keys.json');
  });

  it('drops a trailing slash from PUBLIC_URL', () => {
    expect(loadIdentityConfig({ PUBLIC_URL: 'https://sign.example.test/' }).publicUrl).toBe(
      'https://sign.example.test',
    );
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadIdentityConfig({ IDENTITY_PORT: 'ninety', PUBLIC_URL: 'https://sign.example.test/api', AUTH_AUDIENCE: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['IDENTITY_PORT', 'PUBLIC_URL', 'AUTH_AUDIENCE']) {
      expect((error as Error).message).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(3);
  });
});
