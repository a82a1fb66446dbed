// What a merchant has in storage, to show that a refused request left nothing behind: its Redis keys (uploads,
// orders, idempotency keys, events…), its objects in both buckets, unfinished multipart uploads, and the global
// keys an accepted order or upload would add (order owners, sign codes, upload expiry lists).
import type { Config } from '@esign/config';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';

export interface Snapshot {
  keys: Set<string>;
  objects: Set<string>;
  incompleteUploads: number;
}

export interface StorageClients {
  config: Config;
  redis: Redis;
  s3: Minio.Client;
}

async function scan(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) {
    keys.push(...batch);
  }
  return keys;
}

export async function snapshot(c: StorageClients, merchantId: string): Promise<Snapshot> {
  const prefix = c.config.redis.keyPrefix;
  const patterns = [`${prefix}m:${merchantId}:*`, `${prefix}order-owner:*`, `${prefix}signcode:*`];
  const keys = new Set((await Promise.all(patterns.map((p) => scan(c.redis, p)))).flat());
  // Members of the upload expiry lists name the merchant: an upload scheduled for deletion was stored.
  const buckets = await scan(c.redis, `${prefix}upload-expiry:*`);
  const pipeline = c.redis.pipeline();
  for (const bucket of buckets) pipeline.smembers(bucket);
  const members = (await pipeline.exec()) ?? [];
  buckets.forEach((bucket, i) => {
    const [, list] = members[i] ?? [];
    for (const m of Array.isArray(list) ? (list as string[]) : []) {
      if (m.includes(`"${merchantId}"`)) keys.add(`${bucket} ${m}`);
    }
  });
  const objects = new Set<string>();
  let incompleteUploads = 0;
  for (const bucket of [c.config.s3.buckets.documents, c.config.s3.buckets.archive]) {
    for (const prefixOf of [`uploads/${merchantId}/`, `results/${merchantId}/`, `archive/${merchantId}/`]) {
      for await (const item of c.s3.listObjectsV2(bucket, prefixOf, true) as AsyncIterable<{ name?: string }>) {
        if (item.name) objects.add(`${bucket}/${item.name}`);
      }
      const unfinished = c.s3.listIncompleteUploads(bucket, prefixOf, true) as AsyncIterable<unknown>;
      for await (const upload of unfinished) if (upload) incompleteUploads++;
    }
  }
  return { keys, objects, incompleteUploads };
}

/** What `after` has that `before` had not (things may vanish meanwhile: expiry timers run). */
export function added(before: Snapshot, after: Snapshot): string[] {
  return [
    ...[...after.keys].filter((k) => !before.keys.has(k)).map((k) => `redis ${k}`),
    ...[...after.objects].filter((o) => !before.objects.has(o)).map((o) => `s3 ${o}`),
    ...(after.incompleteUploads > before.incompleteUploads
      ? [`${after.incompleteUploads - before.incompleteUploads} unfinished multipart upload(s)`]
      : []),
  ];
}
