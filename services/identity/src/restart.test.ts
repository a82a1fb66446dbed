import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, readKeysFile, writeKeysFile } from './keys.js';
import { requestToken, startTestIdentity, tempDir, type TestIdentity } from './test-support.js';

// A fixed public origin, so the issuer (and thus every token's iss) is the same across restarts on new ports.
const env = { PUBLIC_URL: 'https://sign.example.test' };
const demo = { clientId: 'demo-merchant', secret: 'demo-secret' };

async function tokenFrom(idp: TestIdentity): Promise<string> {
  const { status, body } = await requestToken(idp.tokenUrl, demo);
  expect(status).toBe(200);
  return body.access_token!;
}

function verifyAt(idp: TestIdentity, token: string) {
  const jwks = createRemoteJWKSet(new URL(`${idp.url}/auth/open/.well-known/openid-configuration/jwks`));
  return jwtVerify(token, jwks, { issuer: 'https://sign.example.test/auth/open', audience: 'signicat-api' });
}

describe('signing keys across restarts', () => {
  it('keeps the key: same kid, and a token from before the restart still verifies', async () => {
    const dataDir = tempDir();
    const first = await startTestIdentity(env, dataDir);
    const before = await tokenFrom(first);
    await first.close();

    const second = await startTestIdentity(env, dataDir);
    try {
      const after = await tokenFrom(second);
      expect(decodeProtectedHeader(after).kid).toBe(decodeProtectedHeader(before).kid);
      expect((await verifyAt(second, before)).payload.merchant_id).toBe('demo-merchant');
    } finally {
      await second.close();
    }
  });

  it('rotates: the first key of the file signs, the old one stays published', async () => {
    const dataDir = tempDir();
    const first = await startTestIdentity(env, dataDir);
    const before = await tokenFrom(first);
    await first.close();

    const file = join(dataDir, 'identity', 'jwks.json');
    const current = readKeysFile(file);
    const next = await generateSigningKey('ES256');
    writeKeysFile(file, { jwks: { keys: [next, ...current.jwks.keys] }, cookieKeys: current.cookieKeys });

    const second = await startTestIdentity(env, dataDir);
    try {
      const after = await tokenFrom(second);
      expect(decodeProtectedHeader(after)).toMatchObject({ kid: next.kid, alg: 'ES256' });
      await expect(verifyAt(second, after)).resolves.toBeDefined();
      await expect(verifyAt(second, before)).resolves.toBeDefined();
    } finally {
      await second.close();
    }
  });
});
