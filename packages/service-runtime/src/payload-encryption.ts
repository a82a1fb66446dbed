import type { Config } from '@esign/config';
import { createPayloadEncryption, encryptingDataConverter, type PayloadEncryption } from '@esign/payload-codec';
import type { DataConverter } from '@temporalio/common';
import type { Redis } from 'ioredis';
import { isOutage } from './dependency-guard.js';

/**
 * The process's payload encryption from its configuration: the configured keys, orders' data keys in its Redis.
 * `strict`: the operators' codec server, which reads an order as deleted from the moment it was deleted.
 * `worker`: a Temporal worker's, whose key lookups wait out a Redis outage (`PAYLOAD_KEY_WAIT_SECONDS`): an error
 * encoding a completion would fail the whole worker. Clients' fail at once (the gateway answers 503).
 */
export function payloadEncryption(
  config: Config,
  redis: Redis,
  opts: { strict?: boolean; worker?: boolean } = {},
): PayloadEncryption {
  const keyWait = opts.worker ? { maxMs: config.payloads.keyWaitSeconds * 1000, transient: isOutage } : undefined;
  return createPayloadEncryption(config.payloads, {
    redis,
    keyPrefix: config.redis.keyPrefix,
    strict: opts.strict,
    keyWait,
  });
}

/** The data converter of every Temporal client and worker: payloads encrypted (payload-codec), failures too. */
export function temporalDataConverter(encryption: PayloadEncryption): DataConverter {
  return encryptingDataConverter(encryption.codec);
}
