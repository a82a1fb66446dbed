import type { Config } from '@esign/config';
import { createPayloadEncryption, encryptingDataConverter, type PayloadEncryption } from '@esign/payload-codec';
import type { DataConverter } from '@temporalio/common';
import type { Redis } from 'ioredis';

/**
 * The process's payload encryption from its configuration: the configured keys, orders' data keys in its Redis.
 * `strict`: the operators' codec server, which reads an order as deleted from the moment it was deleted.
 */
export function payloadEncryption(config: Config, redis: Redis, opts: { strict?: boolean } = {}): PayloadEncryption {
  return createPayloadEncryption(config.payloads, { redis, keyPrefix: config.redis.keyPrefix, strict: opts.strict });
}

/** The data converter of every Temporal client and worker: payloads encrypted (payload-codec), failures too. */
export function temporalDataConverter(encryption: PayloadEncryption): DataConverter {
  return encryptingDataConverter(encryption.codec);
}
