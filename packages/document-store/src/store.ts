import type { Readable } from 'node:stream';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import type { UploadContentType } from './content-types.js';
import { putToPresignedUrl } from './s3-stream.js';

export interface UploadMeta {
  documentId: string;
  merchantId: string;
  contentType: UploadContentType;
  size: number;
  sha256: string;
  createdAt: string;
  expiresAt: string;
  bucket: string;
  objectKey: string;
}

export type ExpireOutcome = 'deleted' | 'referenced' | 'reserved' | 'gone';

export interface ExpiringUpload {
  merchantId: string;
  documentId: string;
  objectKey: string;
}

// Fixed field order, so the member written at upload is the one a rejected upload removes again.
const memberOf = ({ merchantId, documentId, objectKey }: ExpiringUpload) =>
  JSON.stringify({ merchantId, documentId, objectKey });

// Long enough for the slowest accepted upload to arrive (the stall timeout cuts off anything slower).
const PRESIGNED_PUT_SECONDS = 15 * 60;

// An upload's metadata and its object live apart. The metadata (the Session Data Storage document a client sees)
// ends at DELETE or at its expiry, whatever orders do. The object outlives it while a creation's reservation is live
// (the order's first activity copies it) or, for orders created before orders kept copies, while such an order
// references it (`refs`). KEYS of the scripts below: metadata, refs set, reservations sorted set. ARGV[1]: now (ms).
const IN_USE = `
local function inUse(refs, reservations, now)
  if redis.call('SCARD', refs) > 0 then return 'referenced' end
  redis.call('ZREMRANGEBYSCORE', reservations, '-inf', now)
  if redis.call('ZCARD', reservations) > 0 then return 'reserved' end
  return false
end
`;
// DELETE: the metadata goes at once; answers whether the object may go too ('deleted') or must stay ('kept').
const DELETE =
  IN_USE +
  `if redis.call('DEL', KEYS[1]) == 0 then return 'missing' end
if inUse(KEYS[2], KEYS[3], ARGV[1]) then return 'kept' end
return 'deleted'`;
// The expiry timer fired: the metadata goes; 'referenced' or 'reserved' keep the object (a reserved one is looked at
// again until its reservations lapse), 'deleted' (or 'gone', the metadata went before) drop it.
const EXPIRE =
  IN_USE +
  `local existed = redis.call('DEL', KEYS[1])
local use = inUse(KEYS[2], KEYS[3], ARGV[1])
if use then return use end
if existed == 0 then return 'gone' end
return 'deleted'`;
// An order created before orders kept copies leaves an upload: drop its reference; the object goes when that was
// the last use and the metadata is gone too (else the upload's own expiry or deletion removes it).
const RELEASE_AND_DELETE =
  IN_USE +
  `redis.call('SREM', KEYS[2], ARGV[2])
if inUse(KEYS[2], KEYS[3], ARGV[1]) then return 'referenced' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'referenced' end
return 'deleted'`;

export class DocumentStore {
  constructor(
    private readonly deps: {
      s3: Minio.Client;
      redis: Redis;
      bucket: string;
      keyPrefix: string;
      /** The S3 client's deadline and breaker (service-runtime `guardOf`), for the PUTs made beside the client. */
      s3Guard?: { run<T>(fn: () => Promise<T>, opts?: { deadline?: boolean }): Promise<T> };
      /** S3_DEADLINE_SECONDS in ms: how long a streamed PUT may wait for S3 to take its bytes or answer. */
      s3StallMs?: number;
    },
  ) {}

  private metaKey(merchantId: string, documentId: string) {
    return this.deps.keyPrefix + storageKeys.uploadMeta(merchantId, documentId);
  }

  /** The keys every lifecycle script of an upload takes: metadata, refs (older orders), reservations. */
  private lifeKeys(merchantId: string, documentId: string): [string, string, string] {
    const p = this.deps.keyPrefix;
    return [
      this.metaKey(merchantId, documentId),
      p + storageKeys.uploadRefs(merchantId, documentId),
      p + storageKeys.uploadReservations(merchantId, documentId),
    ];
  }

  get bucket(): string {
    return this.deps.bucket;
  }

  /**
   * Streams bytes to S3. With a known size they flow straight through one presigned PUT; a body of unknown length
   * goes multipart through the client, whose part size bounds what it holds in memory. On failure nothing of the
   * upload is left behind.
   */
  async putObject(objectKey: string, body: Readable, contentType: string, size?: number): Promise<void> {
    try {
      if (size === undefined) {
        await this.deps.s3.putObject(this.deps.bucket, objectKey, body, undefined, { 'Content-Type': contentType });
      } else {
        const url = await this.deps.s3.presignedPutObject(this.deps.bucket, objectKey, PRESIGNED_PUT_SECONDS);
        // S3's deadline applies to S3's own stalls only, never to a merchant who is slow to send.
        const put = () => putToPresignedUrl(url, body, size, contentType, this.deps.s3StallMs);
        await (this.deps.s3Guard ? this.deps.s3Guard.run(put, { deadline: false }) : put());
      }
    } catch (err) {
      await this.removeObject(objectKey);
      throw err;
    }
  }

  /** Reads `length` bytes at `offset` of a stored object. */
  async readRange(objectKey: string, offset: number, length: number): Promise<Buffer> {
    const stream = await this.deps.s3.getPartialObject(this.deps.bucket, objectKey, offset, length);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Reads a whole stored object (results and originals being sealed: bounded by the upload limit). */
  async readObject(objectKey: string): Promise<Buffer> {
    return this.readUpload({ bucket: this.deps.bucket, objectKey });
  }

  /** A whole stored object, or null when there is none under the key. */
  async readIfStored(objectKey: string): Promise<Buffer | null> {
    try {
      return await this.readObject(objectKey);
    } catch (err) {
      if ((err as { code?: string }).code === 'NoSuchKey') return null;
      throw err;
    }
  }

  /** Reads an upload's whole object from the bucket it was stored in (bounded by the upload limit). */
  async readUpload(upload: { bucket: string; objectKey: string }): Promise<Buffer> {
    const stream = await this.deps.s3.getObject(upload.bucket, upload.objectKey);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Stores bytes the service produced itself (a sealed result); overwriting the same key is idempotent. */
  async putBuffer(objectKey: string, body: Buffer, contentType: string): Promise<void> {
    await this.deps.s3.putObject(this.deps.bucket, objectKey, body, body.length, { 'Content-Type': contentType });
  }

  /** Removes every object under a prefix (an order's results). */
  async removePrefix(prefix: string): Promise<void> {
    const keys: string[] = [];
    for await (const item of this.deps.s3.listObjectsV2(this.deps.bucket, prefix, true)) {
      if ((item as { name?: string }).name) keys.push((item as { name: string }).name);
    }
    if (keys.length > 0) await this.deps.s3.removeObjects(this.deps.bucket, keys);
  }

  /** Removes an object and any unfinished multipart upload of it; a missing object is not an error. */
  async removeObject(objectKey: string): Promise<void> {
    await this.deps.s3.removeIncompleteUpload(this.deps.bucket, objectKey).catch(() => undefined);
    await this.deps.s3.removeObject(this.deps.bucket, objectKey);
  }

  /** Publishes an upload: written last, after its object is complete and checked. */
  async saveMeta(meta: UploadMeta): Promise<void> {
    await this.deps.redis.set(this.metaKey(meta.merchantId, meta.documentId), JSON.stringify(meta));
  }

  /** The upload's metadata, or null when it does not exist for this merchant. */
  async getMeta(merchantId: string, documentId: string): Promise<UploadMeta | null> {
    const raw = await this.deps.redis.get(this.metaKey(merchantId, documentId));
    return raw ? (JSON.parse(raw) as UploadMeta) : null;
  }

  openObject(meta: UploadMeta): Promise<Readable> {
    return this.deps.s3.getObject(meta.bucket, meta.objectKey);
  }

  /**
   * `DELETE /documents/{id}`: the upload is gone for clients at once, whatever orders use it (they keep copies). Its
   * object goes too, unless a creation still has it reserved (its expiry timer removes it later) or an order created
   * before copies references it.
   */
  async deleteUpload(merchantId: string, documentId: string): Promise<'deleted' | 'missing'> {
    const meta = await this.getMeta(merchantId, documentId);
    if (!meta) return 'missing';
    const keys = this.lifeKeys(merchantId, documentId);
    const outcome = (await this.deps.redis.eval(DELETE, 3, ...keys, String(Date.now()))) as
      'deleted' | 'kept' | 'missing';
    if (outcome === 'missing') return 'missing';
    if (outcome === 'deleted') await this.removeObject(meta.objectKey);
    return 'deleted';
  }

  /** Copies an upload's object into an order's own documents (S3 server-side); false when the object is gone. */
  async copyInto(upload: { bucket: string; objectKey: string }, objectKey: string): Promise<boolean> {
    try {
      await this.deps.s3.copyObject(this.deps.bucket, objectKey, `/${upload.bucket}/${upload.objectKey}`);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'NoSuchKey') return false;
      throw err;
    }
  }

  /**
   * An order created before orders kept copies is deleted: drop its reference and delete the object unless it is
   * still in use. Safe to repeat.
   */
  async releaseAndDelete(merchantId: string, documentId: string, orderId: string, objectKey: string) {
    const keys = this.lifeKeys(merchantId, documentId);
    const outcome = (await this.deps.redis.eval(RELEASE_AND_DELETE, 3, ...keys, String(Date.now()), orderId)) as
      'deleted' | 'referenced';
    if (outcome === 'deleted') await this.removeObject(objectKey);
    return outcome;
  }

  private bucketKey(ttlSeconds: number, second: number) {
    return this.deps.keyPrefix + storageKeys.uploadExpiryBucket(ttlSeconds, second);
  }

  /** Lists an upload under the expiry timer of its second; done before its bytes arrive, so nothing escapes it. */
  async scheduleExpiry(ttlSeconds: number, second: number, upload: ExpiringUpload): Promise<void> {
    await this.deps.redis.sadd(this.bucketKey(ttlSeconds, second), memberOf(upload));
  }

  /** Takes a rejected upload off its expiry list again. */
  async unscheduleExpiry(ttlSeconds: number, second: number, upload: ExpiringUpload): Promise<void> {
    await this.deps.redis.srem(this.bucketKey(ttlSeconds, second), memberOf(upload));
  }

  /**
   * A second's expiry timer fired: expire each of its uploads, then forget the list. Uploads a creation still has
   * reserved stay listed and make this fail (retryably), so the timer's activity comes back to them once the
   * reservation is confirmed or lapsed.
   */
  async expireBucket(ttlSeconds: number, second: number): Promise<{ deleted: number; referenced: number }> {
    const key = this.bucketKey(ttlSeconds, second);
    const members = await this.deps.redis.smembers(key);
    const counts = { deleted: 0, referenced: 0 };
    let reserved = 0;
    for (const member of members) {
      const { merchantId, documentId, objectKey } = JSON.parse(member) as ExpiringUpload;
      const outcome = await this.expire(merchantId, documentId, objectKey);
      if (outcome === 'reserved') {
        reserved++;
        continue;
      }
      await this.deps.redis.srem(key, member);
      if (outcome === 'referenced') counts.referenced++;
      else if (outcome === 'deleted') counts.deleted++;
    }
    if (reserved > 0) throw new UploadsReserved(reserved);
    await this.deps.redis.del(key);
    return counts;
  }

  /** The expiry timer fired: the upload ends; its object too unless in use. Safe to repeat. */
  async expire(merchantId: string, documentId: string, objectKey: string): Promise<ExpireOutcome> {
    const keys = this.lifeKeys(merchantId, documentId);
    const outcome = (await this.deps.redis.eval(EXPIRE, 3, ...keys, String(Date.now()))) as ExpireOutcome;
    // Also when 'gone': a retried expiry whose first attempt deleted the metadata but not yet the object.
    if (outcome === 'deleted' || outcome === 'gone') await this.removeObject(objectKey);
    return outcome;
  }
}

/** Uploads of an expiry bucket that a creation still has reserved: the expiry is tried again later. */
export class UploadsReserved extends Error {
  constructor(readonly count: number) {
    super(`${count} upload(s) reserved by an order creation; their expiry is tried again`);
    this.name = 'UploadsReserved';
  }
}
