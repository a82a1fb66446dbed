import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

const b64 = () => randomBytes(32).toString('base64');

describe('payload encryption settings', () => {
  it('defaults to the dev key, current, with the deletion delay and caches of the docs', () => {
    const { payloads, codecServer } = loadConfig({});
    expect(payloads.keys.map((k) => k.id)).toEqual(['dev-1']);
    expect(payloads.keys[0]!.key).toHaveLength(32);
    expect(payloads).toMatchObject({
      currentId: 'dev-1',
      cacheSeconds: 300,
      orderKeyDeleteDelaySeconds: 600,
      tombstoneDays: 400,
    });
    expect(codecServer).toEqual({
      corsOrigins: ['http://127.0.0.1:8233'],
      audience: 'esign-operator',
      scope: 'esign-operator',
    });
  });

  it('takes the last listed key as current unless one is pinned (a rotation rolls out in two steps)', () => {
    const keys = `k1=${b64()},k2=${b64()}`;
    expect(loadConfig({ PAYLOAD_KEYS: keys }).payloads.currentId).toBe('k2');
    expect(loadConfig({ PAYLOAD_KEYS: keys, PAYLOAD_KEY_CURRENT: 'k1' }).payloads.currentId).toBe('k1');
  });

  it('names every bad entry without printing key material', () => {
    const short = randomBytes(16).toString('base64');
    const env = { PAYLOAD_KEYS: `k1=${short},bad id=${b64()},k3=${b64()},k3=${b64()}`, PAYLOAD_KEY_CURRENT: 'k9' };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('key k1 must be 32 bytes');
    expect(problems).toContain('entry 2 must be <id>=<base64>');
    expect(problems).toContain('key ids must be unique');
    expect(problems).toContain('PAYLOAD_KEY_CURRENT: k9 is not among PAYLOAD_KEYS');
    expect(problems).not.toContain(short);
    expect(() => loadConfig({ CODEC_CORS_ORIGINS: 'http://ui.example/path' })).toThrow(/CODEC_CORS_ORIGINS/);
  });
});
