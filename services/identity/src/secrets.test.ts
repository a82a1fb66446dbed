import { describe, expect, it } from 'vitest';
import { hashSecret, parseSecretHash, verifySecret } from './secrets.js';

describe('client secrets', () => {
  it('hashes into the documented scrypt form, with a fresh salt each time', async () => {
    const a = await hashSecret('s3cret-value');
    const b = await hashSecret('s3cret-value');
    expect(a).toMatch(/^scrypt:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$/);
    expect(a).not.toBe(b);
  });

  it('accepts the right secret and refuses others, hashed or plain', async () => {
    const hashed = parseSecretHash(await hashSecret('s3cret-value'));
    expect(await verifySecret(hashed, 's3cret-value')).toBe(true);
    expect(await verifySecret(hashed, 's3cret-valuE')).toBe(false);
    const plain = { kind: 'plain', secret: 's3cret-value' } as const;
    expect(await verifySecret(plain, 's3cret-value')).toBe(true);
    expect(await verifySecret(plain, 's3cret')).toBe(false);
  });

  it('rejects malformed or weak hashes', () => {
    expect(() => parseSecretHash('bcrypt:abc')).toThrow(/scrypt:<salt base64>:<hash base64>/);
    expect(() => parseSecretHash('scrypt:YQ==:YWJj')).toThrow(/8\+ bytes/);
  });
});
