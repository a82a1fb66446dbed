import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './aes.js';
import { Keyring, UnknownKeyError } from './keyring.js';

const key = () => randomBytes(32);

describe('AES-256-GCM', () => {
  it('opens what it sealed, and nothing that was changed or relabelled', () => {
    const k = key();
    const sealed = seal(k, Buffer.from('alice@example.com'), 'label-1');
    expect(sealed.toString('latin1')).not.toContain('alice');
    expect(open(k, sealed, 'label-1').toString()).toBe('alice@example.com');
    expect(() => open(k, sealed, 'label-2')).toThrow();
    expect(() => open(key(), sealed, 'label-1')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => open(k, flipped, 'label-1')).toThrow();
    // a fresh IV each time: the same plaintext never gives the same ciphertext
    expect(seal(k, Buffer.from('x'), 'l').equals(seal(k, Buffer.from('x'), 'l'))).toBe(false);
  });
});

describe('Keyring', () => {
  it('wraps order keys with the current key, bound to their order, and unwraps them after a rotation', () => {
    const k1 = key();
    const before = new Keyring({ keys: [{ id: 'k1', key: k1 }], currentId: 'k1' });
    const made = before.newOrderKey('order1');
    expect(made.stored.kek).toBe('k1');
    const after = new Keyring({
      keys: [
        { id: 'k1', key: k1 },
        { id: 'k2', key: key() },
      ],
      currentId: 'k2',
    });
    expect(after.unwrapOrderKey('order1', made.stored).equals(made.key)).toBe(true);
    expect(after.newOrderKey('order2').stored.kek).toBe('k2');
    // a wrapped key moved to another order does not open
    expect(() => after.unwrapOrderKey('order2', made.stored)).toThrow();
  });

  it('refuses keys of the wrong size, duplicate ids, an unknown current key, and names a missing key', () => {
    expect(() => new Keyring({ keys: [{ id: 'a', key: randomBytes(16) }], currentId: 'a' })).toThrow(/32 bytes/);
    const k = key();
    const twice = [
      { id: 'a', key: k },
      { id: 'a', key: k },
    ];
    expect(() => new Keyring({ keys: twice, currentId: 'a' })).toThrow(/unique/);
    expect(() => new Keyring({ keys: [{ id: 'a', key: k }], currentId: 'b' })).toThrow(UnknownKeyError);
    const ring = new Keyring({ keys: [{ id: 'a', key: k }], currentId: 'a' });
    expect(() => ring.key('gone')).toThrow('payload key gone is not configured');
  });
});
