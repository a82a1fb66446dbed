import { describe, expect, it } from 'vitest';
import type { Principal } from './token-verifier.js';
import { cachingVerifier } from './verified-cache.js';

describe('cachingVerifier', () => {
  const principal = (exp: number): Principal => ({ merchantId: 'm', scopes: ['signicat-api'], expiresAt: exp });

  it('verifies a token once, then answers from the cache until 60 s have passed', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const verify = cachingVerifier(
      async () => {
        calls++;
        return principal(clock / 1000 + 600);
      },
      () => clock,
    );
    await verify('t1');
    await verify('t1');
    expect(calls).toBe(1);
    clock += 61_000;
    await verify('t1');
    expect(calls).toBe(2);
  });

  it('never serves a token past its own expiry', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const verify = cachingVerifier(
      async () => {
        calls++;
        if (calls > 1) throw new Error('expired');
        return principal(clock / 1000 + 10);
      },
      () => clock,
    );
    await verify('t2');
    clock += 11_000;
    await expect(verify('t2')).rejects.toThrow('expired');
  });

  it('does not cache refusals', async () => {
    let calls = 0;
    const verify = cachingVerifier(async () => {
      calls++;
      throw new Error('bad token');
    });
    await expect(verify('t3')).rejects.toThrow();
    await expect(verify('t3')).rejects.toThrow();
    expect(calls).toBe(2);
  });
});
