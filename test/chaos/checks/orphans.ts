import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import type { OrderRun } from '../order-run.js';
import { MERCHANT_ID, type Verification, type VerifyContext } from './context.js';

const live = (r: OrderRun) => r.orderId !== undefined && r.kind !== 'cancel';

async function scanKeys(redis: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
  return [...new Set(keys)];
}

async function listObjects(s3: Minio.Client, bucket: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of s3.listObjectsV2(bucket, '', true) as AsyncIterable<{ name?: string }>) {
    if (item.name) names.push(item.name);
  }
  return names;
}

/**
 * Every Redis key and S3 object must belong to a live order or to an upload its expiry timer will end (uploads are the
 * client's, whatever orders did with them: orders keep copies), or be bookkeeping that expires on its own (a TTL) or
 * is a pending timer's list; a deleted order must leave nothing behind.
 */
export async function checkOrphans(ctx: VerifyContext, v: Verification, problems: string[]): Promise<number> {
  const prefix = ctx.config.redis.keyPrefix;
  const liveOrders = new Set(ctx.runs.filter(live).map((r) => r.orderId!));
  const deletedOrders = new Set(ctx.runs.filter((r) => r.kind === 'cancel' && r.orderId).map((r) => r.orderId!));
  const keys = await scanKeys(ctx.redis, `${prefix}*`);
  v.redisKeys.total = keys.length;
  // Uploads listed under an expiry timer: every upload waits there for its 30 minutes (orders copy what they use).
  const expiring = new Set<string>();
  const timerKeys = keys.filter((k) => k.slice(prefix.length).startsWith('upload-expiry:'));
  for (const key of timerKeys) {
    for (const member of await ctx.redis.smembers(key)) {
      expiring.add((JSON.parse(member) as { objectKey: string }).objectKey);
    }
  }
  let orphans = 0;
  const orphan = (what: string) => {
    orphans++;
    problems.push(`orphan: ${what}`);
  };
  const ofOrder = (orderId: string, key: string) => {
    if (liveOrders.has(orderId)) v.redisKeys.live++;
    else if (deletedOrders.has(orderId)) orphan(`Redis key ${key} of deleted order ${orderId}`);
    else orphan(`Redis key ${key} of order ${orderId}, which no client created`);
  };
  for (const key of keys) {
    const k = key.slice(prefix.length);
    let m: RegExpExecArray | null;
    if ((m = /^m:[^:]+:order:([^:]+)(:state|:task:[^:]+:events(:ids)?)?$/.exec(k))) ofOrder(m[1]!, key);
    else if ((m = /^order-owner:(.+)$/.exec(k))) ofOrder(m[1]!, key);
    else if ((m = /^payload-key:\{([^}]+)\}(:deleted)?$/.exec(k))) {
      // An order's payload data key lives with the order; once it is deleted, the key and its tombstone must expire.
      if (liveOrders.has(m[1]!) && !m[2]) v.redisKeys.live++;
      else if (deletedOrders.has(m[1]!)) {
        const ttl = await ctx.redis.pttl(key);
        if (ttl > 0) v.redisKeys.ttlBounded++;
        else orphan(`Redis key ${key} of deleted order ${m[1]} never expires (PTTL ${ttl})`);
      } else orphan(`Redis key ${key} of ${liveOrders.has(m[1]!) ? 'live' : 'unknown'} order ${m[1]}`);
    } else if (k.startsWith('signcode:')) {
      const target = JSON.parse((await ctx.redis.get(key)) ?? '{}') as { orderId?: string };
      ofOrder(target.orderId ?? '(unreadable)', key);
    } else if ((m = /^m:([^:]+):upload:([^:]+)$/.exec(k))) {
      if (expiring.has(`uploads/${m[1]}/${m[2]}`)) v.redisKeys.live++;
      else orphan(`Redis key ${key}: an upload no expiry timer will end`);
    } else if (timerKeys.includes(key)) v.redisKeys.timers++;
    else if (
      /^(m:[^:]+:(idem|delivery|otp|creation):|m:[^:]+:upload:[^:]+:reservations$|creation-signcode:|ratelimit:|portal-session:|portal-limit:|diagnostics:)/.test(
        k,
      )
    ) {
      // Bookkeeping that outlives orders on purpose (idempotency 24 h, delivery ledger 30 days): it must expire.
      const ttl = await ctx.redis.pttl(key);
      if (ttl > 0) v.redisKeys.ttlBounded++;
      else orphan(`Redis key ${key} never expires (PTTL ${ttl})`);
    } else orphan(`Redis key ${key}: nothing the system owns looks like it`);
  }

  const { documents, archive } = ctx.config.s3.buckets;
  const objects = await listObjects(ctx.s3, documents);
  v.s3Objects.total = objects.length;
  for (const name of objects) {
    let m: RegExpExecArray | null;
    if ((m = /^(?:results|orders|signer-uploads)\/[^/]+\/([^/]+)\//.exec(name))) {
      if (liveOrders.has(m[1]!)) v.s3Objects.live++;
      else orphan(`S3 object ${name} of ${deletedOrders.has(m[1]!) ? 'deleted' : 'unknown'} order ${m[1]}`);
    } else if (/^uploads\/[^/]+\/[^/]+$/.test(name)) {
      if (expiring.has(name)) v.s3Objects.awaitingExpiry++;
      else orphan(`S3 object ${name}: an upload no expiry timer will end`);
    } else orphan(`S3 object ${name}: nothing the system owns looks like it`);
  }
  for (const run of ctx.runs.filter(live)) {
    if (!objects.includes(storageKeys.orderDocument(MERCHANT_ID, run.orderId!, run.documentRef!))) {
      problems.push(`order #${run.index}: the order's copy of its original is missing from S3`);
    }
  }
  for (const name of await listObjects(ctx.s3, archive)) orphan(`S3 object ${archive}/${name}: nothing was archived`);
  return orphans;
}
