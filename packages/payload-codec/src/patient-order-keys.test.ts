import { describe, expect, it } from 'vitest';
import type { OrderKeyStore } from './order-keys.js';
import { PatientOrderKeys } from './patient-order-keys.js';

class Outage extends Error {
  override name = 'DependencyUnavailable';
}

/** A store that fails its first `failures` lookups with `error`, then answers a key; counts the lookups. */
function flakyStore(failures: number, error: Error) {
  const key = Buffer.alloc(32, 7);
  const store = {
    lookups: 0,
    destroyed: 0,
    async forEncrypt() {
      return store.lookup();
    },
    async forDecrypt() {
      return store.lookup();
    },
    async destroy() {
      store.destroyed++;
      throw error;
    },
    async lookup(): Promise<Buffer> {
      store.lookups++;
      if (store.lookups <= failures) throw error;
      return key;
    },
  };
  return { store: store as typeof store & OrderKeyStore, key };
}

const transient = (err: unknown) => err instanceof Outage;

describe('PatientOrderKeys', () => {
  it('waits out a store that is down for a while, for encrypting and decrypting', async () => {
    const { store, key } = flakyStore(3, new Outage('Redis is unavailable'));
    const keys = new PatientOrderKeys(store, { maxMs: 5000, transient, firstDelayMs: 5 });
    expect(await keys.forEncrypt('o1')).toEqual(key);
    expect(store.lookups).toBe(4);
    expect(await keys.forDecrypt('o1')).toEqual(key);
    expect(store.lookups).toBe(5);
  });

  it('throws an answer that is not an outage at once', async () => {
    const { store } = flakyStore(1, new Error('unknown payload key k9'));
    const keys = new PatientOrderKeys(store, { maxMs: 5000, transient, firstDelayMs: 5 });
    await expect(keys.forDecrypt('o1')).rejects.toThrow('unknown payload key k9');
    expect(store.lookups).toBe(1);
  });

  it('gives up when the outage outlasts its wait, with the outage error', async () => {
    const { store } = flakyStore(1000, new Outage('Redis is unavailable'));
    const keys = new PatientOrderKeys(store, { maxMs: 60, transient, firstDelayMs: 5 });
    await expect(keys.forEncrypt('o1')).rejects.toBeInstanceOf(Outage);
    expect(store.lookups).toBeGreaterThan(1);
  });

  it('does not repeat a destruction (its activity retries)', async () => {
    const { store } = flakyStore(1000, new Outage('Redis is unavailable'));
    const keys = new PatientOrderKeys(store, { maxMs: 5000, transient, firstDelayMs: 5 });
    await expect(keys.destroy('o1', 0)).rejects.toBeInstanceOf(Outage);
    expect(store.destroyed).toBe(1);
  });
});
