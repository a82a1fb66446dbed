import { createHash } from 'node:crypto';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import { CreationConflict, CreationRefused } from './errors.js';

const KEEP_SECONDS = 24 * 60 * 60;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

export interface OrderIdReservation {
  orderId: string;
  /** True when the key was seen before with the same body: the order id is the first request's. */
  replay: boolean;
  /** Frees the key again (a creation refused after the key was taken). */
  release: () => Promise<void>;
}

/**
 * `Idempotency-Key`: the first request with a key reserves it for a new order id (kept 24 h); the same key with the
 * same body gets that order id again, so a retry lands on the same workflow and nothing is created twice; the same
 * key with another body is a conflict.
 */
export async function reserveOrderId(opts: {
  redis: Redis;
  keyPrefix: string;
  merchantId: string;
  key: string | undefined;
  body: unknown;
  newOrderId: string;
}): Promise<OrderIdReservation> {
  if (opts.key === undefined) return { orderId: opts.newOrderId, replay: false, release: async () => undefined };
  if (!KEY_FORMAT.test(opts.key)) {
    throw new CreationRefused('The Idempotency-Key header is invalid.', [
      { propertyPath: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  const redisKey = opts.keyPrefix + storageKeys.idempotency(opts.merchantId, digest(opts.key));
  const bodyHash = digest(JSON.stringify(opts.body));
  const claimed = { orderId: opts.newOrderId, bodyHash };
  const set = await opts.redis.set(redisKey, JSON.stringify(claimed), 'EX', KEEP_SECONDS, 'NX');
  const release = async () => {
    await opts.redis.del(redisKey);
  };
  if (set === 'OK') return { orderId: opts.newOrderId, replay: false, release };
  const existing = JSON.parse((await opts.redis.get(redisKey)) ?? 'null') as typeof claimed | null;
  if (!existing) return reserveOrderId(opts);
  if (existing.bodyHash !== bodyHash) {
    throw new CreationConflict('This Idempotency-Key was used with a different request body.');
  }
  return { orderId: existing.orderId, replay: true, release: async () => undefined };
}
