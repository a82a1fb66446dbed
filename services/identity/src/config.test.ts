import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@esign/config';
import { DEV_CLIENTS_FILE, loadIdentityConfig } from './config.js';

describe('loadIdentityConfig', () => {
  it('defaults to the dev stack', () => {
    const c = loadIdentityConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      publicUrl: 'http://127.0.0.1:8080',
      audience: 'signicat-api',
      tokenTtlSeconds: 600,
      clientsFile: DEV_CLIENTS_FILE,
      keysFile: resolve('.data', 'identity', 'jwks.json'),
    });
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
