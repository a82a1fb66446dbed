import { describe, expect, it } from 'vitest';
import { ClientAuthThrottle, FailureWindow, KNOWN_ADDRESSES_PER_CLIENT } from './auth-throttle.js';

describe('FailureWindow', () => {
  it('locks a key at the limit until its oldest counted failure leaves the window', () => {
    const w = new FailureWindow({ limit: 3, windowMs: 60_000 });
    w.fail('a', 0);
    w.fail('a', 10_000);
    expect(w.waitMs('a', 10_000)).toBe(0);
    w.fail('a', 20_000);
    expect(w.waitMs('a', 20_000)).toBe(40_000); // the failure at 0 leaves at 60 s
    expect(w.waitMs('b', 20_000)).toBe(0);
    expect(w.waitMs('a', 59_999)).toBe(1);
    expect(w.waitMs('a', 60_000)).toBe(0);
  });

  it('counts nothing with a limit of 0, and forgets the least recently failed key beyond maxKeys', () => {
    const off = new FailureWindow({ limit: 0, windowMs: 60_000 });
    for (let i = 0; i < 100; i++) off.fail('a', i);
    expect(off.waitMs('a', 100)).toBe(0);
    const small = new FailureWindow({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    small.fail('a', 0);
    small.fail('b', 1);
    small.fail('c', 2);
    expect([small.waitMs('a', 3), small.waitMs('b', 3) > 0, small.waitMs('c', 3) > 0]).toEqual([0, true, true]);
  });
});

describe('ClientAuthThrottle', () => {
  const settings = { perAddress: 2, perClient: 3, windowSeconds: 60 };

  it('locks an address for every client, and a client id for addresses it never got a token from', () => {
    let now = 0;
    const t = new ClientAuthThrottle(settings, () => now);
    t.succeeded('merchant', '192.0.2.1');
    t.failed('198.51.100.7', 'merchant');
    t.failed('198.51.100.7', 'merchant');
    expect(t.addressWait('198.51.100.7')).toBe(60);
    expect(t.addressWait('192.0.2.1')).toBe(0);
    expect(t.clientWait('merchant', '203.0.113.9')).toBe(0);
    now = 1_500;
    t.failed('203.0.113.9', 'merchant');
    expect(t.clientWait('merchant', '203.0.113.9')).toBe(59); // rounded up from 58.5 s
    expect(t.clientWait('merchant', '192.0.2.1')).toBe(0); // its own server still gets tokens
    expect(t.clientWait('other', '203.0.113.9')).toBe(0);
    now = 60_000;
    expect(t.addressWait('198.51.100.7')).toBe(0);
  });

  it('counts failures of unknown client ids per address only, and remembers a bounded set of addresses', () => {
    const t = new ClientAuthThrottle(settings, () => 0);
    t.failed('198.51.100.7');
    t.failed('198.51.100.7');
    expect(t.addressWait('198.51.100.7')).toBe(60);
    for (let i = 0; i <= KNOWN_ADDRESSES_PER_CLIENT; i++) t.succeeded('merchant', `192.0.2.${i}`);
    for (let i = 0; i < 3; i++) t.failed(`203.0.113.${i}`, 'merchant');
    expect(t.clientWait('merchant', '192.0.2.0')).toBe(60); // the oldest of 17 was forgotten
    expect(t.clientWait('merchant', `192.0.2.${KNOWN_ADDRESSES_PER_CLIENT}`)).toBe(0);
  });
});
