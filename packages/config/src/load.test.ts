import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_DEFAULTS, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('defaults to the dev stack', () => {
    const c = loadConfig({});
    expect(c.gateway.port).toBe(DEV_DEFAULTS.ports.gateway);
    // health, metrics and diagnostics on a port of their own; the diagnostics off unless asked for
    expect(c.gateway).toMatchObject({ operatorPort: DEV_DEFAULTS.ports.gatewayOperator, diagnosticsEnabled: false });
    expect(c.gateway.diagnosticsToken).toBeUndefined();
    expect(c.portal.operatorPort).toBe(DEV_DEFAULTS.ports.portalOperator);
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.redis.url).toBe('redis://127.0.0.1:6380');
    expect(c.s3).toMatchObject({ endPoint: '127.0.0.1', port: 8333, useSSL: false, region: 'us-east-1' });
    expect(c.apiBasePath).toBe('/enterprise/sign');
  });

  it('reads overrides and derives the S3 connection from the endpoint URL', () => {
    const c = loadConfig({
      S3_ENDPOINT: 'https://s3.example.test',
      GATEWAY_PORT: '9000',
      DIAGNOSTICS_ENABLED: 'true',
      DIAGNOSTICS_TOKEN: 'operator-token-0123456789',
    });
    expect(c.s3).toMatchObject({ endPoint: 's3.example.test', port: 443, useSSL: true });
    expect(c.gateway).toMatchObject({
      port: 9000,
      diagnosticsEnabled: true,
      diagnosticsToken: 'operator-token-0123456789',
    });
    expect(() => loadConfig({ DIAGNOSTICS_TOKEN: 'short' })).toThrow(/DIAGNOSTICS_TOKEN/);
  });

  it('derives the token issuer from the public URL and refuses symmetric or none algorithms', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://sign.example.test/' }).auth.issuer).toBe(
      'https://sign.example.test/auth/open',
    );
    expect(() => loadConfig({ AUTH_ALGORITHMS: 'RS256,none' })).toThrow(/AUTH_ALGORITHMS/);
    expect(() => loadConfig({ AUTH_ALGORITHMS: 'HS256' })).toThrow(/AUTH_ALGORITHMS/);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ GATEWAY_PORT: 'eighty', REDIS_URL: 'http://x', TEMPORAL_ADDRESS: 'nohost' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['GATEWAY_PORT', 'REDIS_URL', 'TEMPORAL_ADDRESS']) expect(message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('connects to an external Temporal with TLS and an API key only when asked', () => {
    expect(loadConfig({}).temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
    expect(
      loadConfig({
        TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233',
        TEMPORAL_API_KEY: 'key-1',
        TEMPORAL_TLS_SERVER_NAME: 'acme.a1b2c.tmprl.cloud',
      }).temporal,
    ).toEqual({
      address: 'acme.a1b2c.tmprl.cloud:7233',
      namespace: 'default',
      tls: { serverName: 'acme.a1b2c.tmprl.cloud' },
      apiKey: 'key-1',
    });
  });

  it('reads the e-mail sender allow-list inline or from a file, and refuses a bad one by its variable', () => {
    expect(loadConfig({}).notifications.emailSenders.size).toBe(0);
    const inline = loadConfig({ EMAIL_SENDER_ALLOWLIST: '{"acme":["NoReply@Acme.example","@mail.acme.example"]}' });
    expect([...inline.notifications.emailSenders]).toEqual([['acme', ['noreply@acme.example', '@mail.acme.example']]]);
    const file = join(mkdtempSync(join(tmpdir(), 'esign-config-')), 'senders.json');
    writeFileSync(file, JSON.stringify({ other: ['@other.example'] }));
    expect(loadConfig({ EMAIL_SENDER_ALLOWLIST_FILE: file }).notifications.emailSenders.get('other')).toEqual([
      '@other.example',
    ]);
    expect(() => loadConfig({ EMAIL_SENDER_ALLOWLIST: '{"acme":["not an address"]}' })).toThrow(
      /EMAIL_SENDER_ALLOWLIST: acme\.0: must be an address/,
    );
    expect(() => loadConfig({ EMAIL_SENDER_ALLOWLIST: '{"acme":' })).toThrow(
      /EMAIL_SENDER_ALLOWLIST: is not valid JSON/,
    );
    expect(() => loadConfig({ EMAIL_SENDER_ALLOWLIST_FILE: `${file}.missing` })).toThrow(/cannot read .*ENOENT/);
    expect(() => loadConfig({ EMAIL_SENDER_ALLOWLIST: '{}', EMAIL_SENDER_ALLOWLIST_FILE: file })).toThrow(/not both/);
  });
});
