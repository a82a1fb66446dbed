import { ids, type SignCodeTarget } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import type { OrderRecord } from './record.js';

// One step, all or none: every upload the order names must still exist; then each is reserved for the order until
// `until` (a sorted set: expired reservations pruned on the way), and the creation's record and sign codes are kept
// for `ttl` ms. KEYS: each upload's metadata, then each upload's reservations (same order), the creation record, then
// one key per sign code. ARGV: order id, until (epoch ms), ttl (ms), now (epoch ms), number of uploads, record JSON,
// then one target JSON per sign code. Answers {1} or {0, positions (1-based) of the missing uploads}.
const RESERVE = `
local n = tonumber(ARGV[5])
local missing = {}
for i = 1, n do
  if redis.call('EXISTS', KEYS[i]) == 0 then missing[#missing + 1] = i end
end
if #missing > 0 then return { 0, missing } end
for i = 1, n do
  local set = KEYS[n + i]
  redis.call('ZREMRANGEBYSCORE', set, '-inf', ARGV[4])
  redis.call('ZADD', set, ARGV[2], ARGV[1])
  redis.call('PEXPIREAT', set, redis.call('ZRANGE', set, -1, -1, 'WITHSCORES')[2])
end
redis.call('SET', KEYS[2 * n + 1], ARGV[6], 'PX', ARGV[3])
for k = 2 * n + 2, #KEYS do redis.call('SET', KEYS[k], ARGV[7 + k - 2 * n - 2], 'PX', ARGV[3]) end
return { 1 }`;

/**
 * What an order creation reserves before it starts the order's workflow, each with a time-to-live, in a key family
 * of its own (the read model has one writer, the order's activities): the uploads the order names, so their objects
 * outlive expiry and deletion until the order's first activity has copied them, and the order as the creation
 * answered it, so reads right after the 201 see the order before the read model exists. A creation that never
 * starts its workflow (the gateway died) leaves only reservations that lapse: nothing to sweep.
 */
export class CreationReservations {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string }) {}

  private key(k: string) {
    return this.deps.keyPrefix + k;
  }

  /** Reserves the uploads and keeps the record, all or none; answers the uploads that no longer exist. */
  async reserve(record: OrderRecord, uploadIds: string[], ttlMs: number): Promise<{ missing: string[] }> {
    const { merchantId, orderId } = record;
    const uploads = [...new Set(uploadIds)];
    const codes = Object.entries(record.signCodes ?? {});
    const keys = [
      ...uploads.map((id) => this.key(storageKeys.uploadMeta(merchantId, id))),
      ...uploads.map((id) => this.key(storageKeys.uploadReservations(merchantId, id))),
      this.key(storageKeys.creation(merchantId, orderId)),
      ...codes.map(([, code]) => this.key(storageKeys.creationSignCode(code))),
    ];
    const now = Date.now();
    const args = [
      orderId,
      String(now + ttlMs),
      String(ttlMs),
      String(now),
      String(uploads.length),
      JSON.stringify(record),
      ...codes.map(([taskId]) => JSON.stringify({ merchantId, orderId, taskId } satisfies SignCodeTarget)),
    ];
    const [ok, positions = []] = (await this.deps.redis.eval(RESERVE, keys.length, ...keys, ...args)) as [
      number,
      number[]?,
    ];
    return { missing: ok === 1 ? [] : positions.map((i) => uploads[i - 1]!) };
  }

  /**
   * The order's first activity has copied the uploads and recorded the read model: the reservations are consumed
   * (the uploads' objects are free to go, reads find the read model). Safe to repeat.
   */
  async confirm(record: Pick<OrderRecord, 'merchantId' | 'orderId' | 'signCodes'>, uploadIds: string[]): Promise<void> {
    const { merchantId, orderId } = record;
    const pipeline = this.deps.redis.multi();
    for (const id of new Set(uploadIds))
      pipeline.zrem(this.key(storageKeys.uploadReservations(merchantId, id)), orderId);
    pipeline.del(
      this.key(storageKeys.creation(merchantId, orderId)),
      ...Object.values(record.signCodes ?? {}).map((code) => this.key(storageKeys.creationSignCode(code))),
    );
    await pipeline.exec();
  }

  /** The order as its creation answered it, while the reservation lasts. */
  async order(merchantId: string, orderId: string): Promise<OrderRecord | null> {
    if (!ids.isSafe(orderId)) return null;
    const raw = await this.deps.redis.get(this.key(storageKeys.creation(merchantId, orderId)));
    return raw ? (JSON.parse(raw) as OrderRecord) : null;
  }

  /** The task a sign code reserved by a creation stands for, while the reservation lasts. */
  async signCode(code: string): Promise<SignCodeTarget | null> {
    if (!ids.isSafe(code)) return null;
    const raw = await this.deps.redis.get(this.key(storageKeys.creationSignCode(code)));
    return raw ? (JSON.parse(raw) as SignCodeTarget) : null;
  }
}
