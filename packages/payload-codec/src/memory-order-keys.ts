import type { Keyring, WrappedKey } from './keyring.js';
import type { OrderKeyStore } from './order-keys.js';

/**
 * Orders' data keys held in memory, as stored records: the replay test's keys (recorded beside the histories they
 * open) and processes that need no sharing. Same answers as the Redis store.
 */
export class MemoryOrderKeys implements OrderKeyStore {
  private readonly deleted = new Set<string>();

  constructor(
    private readonly keyring: Keyring,
    readonly records: Map<string, WrappedKey> = new Map(),
  ) {}

  forEncrypt(orderId: string): Promise<Buffer | null> {
    const stored = this.records.get(orderId);
    if (stored) return Promise.resolve(this.keyring.unwrapOrderKey(orderId, stored));
    if (this.deleted.has(orderId)) return Promise.resolve(null);
    const made = this.keyring.newOrderKey(orderId);
    this.records.set(orderId, made.stored);
    return Promise.resolve(made.key);
  }

  forDecrypt(orderId: string, opts: { strict?: boolean } = {}): Promise<Buffer | null> {
    const stored = this.records.get(orderId);
    if (!stored || (opts.strict && this.deleted.has(orderId))) return Promise.resolve(null);
    return Promise.resolve(this.keyring.unwrapOrderKey(orderId, stored));
  }

  destroy(orderId: string, delaySeconds: number): Promise<void> {
    this.deleted.add(orderId);
    if (delaySeconds <= 0) this.records.delete(orderId);
    else setTimeout(() => this.records.delete(orderId), delaySeconds * 1000).unref();
    return Promise.resolve();
  }
}
