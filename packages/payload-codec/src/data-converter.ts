import type { DataConverter } from '@temporalio/common';
import type { Redis } from 'ioredis';
import { PayloadEncryptionCodec } from './codec.js';
import { Keyring, type KeyringConfig } from './keyring.js';
import { MemoryOrderKeys } from './memory-order-keys.js';
import { CachedOrderKeys, type OrderKeyStore } from './order-keys.js';
import { PatientOrderKeys, type KeyWait } from './patient-order-keys.js';
import { failureConverterPath } from './paths.js';
import { RedisOrderKeys } from './redis-order-keys.js';

export interface PayloadEncryptionSettings extends KeyringConfig {
  /** How long a process keeps an order's data key in memory before asking Redis again. */
  cacheSeconds: number;
  /** How long the tombstone of a destroyed order key is kept (longer than any history is). */
  tombstoneDays: number;
}

export interface PayloadEncryption {
  codec: PayloadEncryptionCodec;
  orderKeys: OrderKeyStore;
  keyring: Keyring;
}

/**
 * The payload encryption of one process: the keyring from its settings, the orders' data keys in Redis (cached for
 * workers; looked up every time and deleted from the order's deletion on for `strict`, the operators' codec server).
 * `keyWait` (workers): a lookup waits out a Redis outage that long instead of failing at once (patient-order-keys.ts).
 */
export function createPayloadEncryption(
  settings: PayloadEncryptionSettings,
  deps: { redis: Redis; keyPrefix: string; strict?: boolean; keyWait?: KeyWait },
): PayloadEncryption {
  const keyring = new Keyring(settings);
  const redisKeys = new RedisOrderKeys({ ...deps, keyring, tombstoneDays: settings.tombstoneDays });
  const stored = deps.keyWait && !deps.strict ? new PatientOrderKeys(redisKeys, deps.keyWait) : redisKeys;
  const orderKeys = deps.strict ? stored : new CachedOrderKeys(stored, { cacheSeconds: settings.cacheSeconds });
  return { codec: new PayloadEncryptionCodec({ keyring, orderKeys, strict: deps.strict }), orderKeys, keyring };
}

/** Payload encryption over keys held in memory (the replay test: keys recorded beside the histories). */
export function memoryPayloadEncryption(config: KeyringConfig, records?: MemoryOrderKeys['records']) {
  const keyring = new Keyring(config);
  const orderKeys = new MemoryOrderKeys(keyring, records);
  return { codec: new PayloadEncryptionCodec({ keyring, orderKeys }), orderKeys, keyring };
}

/** The data converter every Temporal client and worker of the platform uses: this codec, failures encoded. */
export function encryptingDataConverter(codec: PayloadEncryptionCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: failureConverterPath() };
}
