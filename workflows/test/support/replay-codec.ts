import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '@esign/config';
import { encryptingDataConverter, memoryPayloadEncryption, type WrappedKey } from '@esign/payload-codec';
import { storageKeys } from '@esign/storage-keys';
import { ids } from '@esign/temporal-contracts';
import type { DataConverter } from '@temporalio/common';
import type { Redis } from 'ioredis';

/**
 * The data keys of the orders whose histories are recorded in ../histories, wrapped by the dev payload key (the
 * dev stack's, in @esign/config): test material only, like the histories themselves.
 */
const KEYS_FILE = new URL('../fixtures/history-payload-keys.json', import.meta.url);

const readKeys = (): Record<string, WrappedKey> =>
  JSON.parse(readFileSync(KEYS_FILE, 'utf8')) as Record<string, WrappedKey>;

/** The data converter the replay tests decode recorded histories with: plain ones pass, encrypted ones open. */
export function replayDataConverter(): DataConverter {
  const records = new Map(Object.entries(readKeys()));
  return encryptingDataConverter(memoryPayloadEncryption(loadConfig({}).payloads, records).codec);
}

/** Adds the data keys of the orders these workflows belong to (read from Redis) to the recorded keys. */
export async function recordPayloadKeys(redis: Redis, keyPrefix: string, workflowIds: string[]): Promise<void> {
  const keys = readKeys();
  for (const orderId of new Set(workflowIds.map((id) => ids.orderOf(id)))) {
    if (!orderId) continue;
    const stored = await redis.get(keyPrefix + storageKeys.payloadKey(orderId));
    if (stored) keys[orderId] = JSON.parse(stored) as WrappedKey;
  }
  const sorted = Object.fromEntries(Object.entries(keys).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(KEYS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}
