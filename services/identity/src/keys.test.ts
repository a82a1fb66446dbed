import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, KeysFileError, loadOrCreateKeys, readKeysFile, writeKeysFile } from './keys.js';
import { tempDir } from './test-support.js';

describe('keys file', () => {
  it('is generated once, owner-only, and reused', async () => {
    const file = join(tempDir(), 'identity', 'jwks.json');
    const first = await loadOrCreateKeys(file);
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(first.cookieKeys[0]!.length).toBeGreaterThanOrEqual(32);

    const again = await loadOrCreateKeys(file);
    expect(again.created).toBe(false);
    expect(again.jwks.keys.map((k) => k.kid)).toEqual(first.jwks.keys.map((k) => k.kid));
    expect(again.cookieKeys).toEqual(first.cookieKeys);
  });

  it('keeps every key of a rotated file, in order', async () => {
    const file = join(tempDir(), 'jwks.json');
    const { jwks, cookieKeys } = await loadOrCreateKeys(file);
    const next = await generateSigningKey('ES256');
    writeKeysFile(file, { jwks: { keys: [next, ...jwks.keys] }, cookieKeys });
    expect(readKeysFile(file).jwks.keys.map((k) => k.kid)).toEqual([next.kid, jwks.keys[0]!.kid]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a file holding public keys only, naming the file and the field', async () => {
    const file = join(tempDir(), 'jwks.json');
    const { d: _d, ...publicKey } = await generateSigningKey();
    writeFileSync(file, JSON.stringify({ keys: [publicKey] }));
    expect(() => readKeysFile(file)).toThrow(KeysFileError);
    expect(() => readKeysFile(file)).toThrow(new RegExp(`${file}: keys.0.d`));
  });
});
