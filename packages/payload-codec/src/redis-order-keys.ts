import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import type { Keyring, WrappedKey } from './keyring.js';
import type { OrderKeyStore } from './order-keys.js';

/** The stored key, else a new one unless the order's key was destroyed: one atomic step, so two makers agree. */
const KEY_OR_NEW = `
local stored = redis.call('GET', KEYS[1])
if stored then return stored end
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`;

/** Tombstone first (strict readers stop at once), then the key itself, now or after the delay. */
const DESTROY = `
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) else redis.call('DEL', KEYS[1]) end
return 1`;

/**
 * Orders' data keys in Redis, each wrapped by the keyring's current key when made (`payloadKey`), with a tombstone
 * once destroyed (`payloadKeyDeleted`, kept `tombstoneDays`) so a late payload of a deleted order never makes a new
 * key that would be readable again.
 */
export class RedisOrderKeys implements OrderKeyStore {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string; keyring: Keyring; tombstoneDays: number }) {}

  private keys(orderId: string): [string, string] {
    const { keyPrefix } = this.deps;
    return [keyPrefix + storageKeys.payloadKey(orderId), keyPrefix + storageKeys.payloadKeyDeleted(orderId)];
  }

  async forEncrypt(orderId: string): Promise<Buffer | null> {
    const { key, stored } = this.deps.keyring.newOrderKey(orderId);
    const answer = (await this.deps.redis.eval(KEY_OR_NEW, 2, ...this.keys(orderId), JSON.stringify(stored))) as
      string | null;
    if (answer === null) return null;
    const record = JSON.parse(answer) as WrappedKey;
    // Ours was stored, or another process's was there first: that one it is.
    return record.wrapped === stored.wrapped ? key : this.deps.keyring.unwrapOrderKey(orderId, record);
  }

  async forDecrypt(orderId: string, opts: { strict?: boolean } = {}): Promise<Buffer | null> {
    const [stored, deleted] = await this.deps.redis.mget(...this.keys(orderId));
    if (!stored || (opts.strict && deleted)) return null;
    return this.deps.keyring.unwrapOrderKey(orderId, JSON.parse(stored) as WrappedKey);
  }

  async destroy(orderId: string, delaySeconds: number): Promise<void> {
    const tombstoneSeconds = Math.max(1, Math.round(this.deps.tombstoneDays * 86_400));
    const args = [new Date().toISOString(), String(tombstoneSeconds), String(Math.max(0, Math.round(delaySeconds)))];
    await this.deps.redis.eval(DESTROY, 2, ...this.keys(orderId), ...args);
  }
}
