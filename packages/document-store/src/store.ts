import type { Readable } from 'node:stream';
import { storageKeys } from '@esign/temporal-contracts';
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

export type ExpireOutcome = 'deleted' | 'referenced' | 'gone';

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

// Claim and expiry race for the same upload; each is one atomic script, so exactly one of them wins.
const CLAIM = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;
// Claims several uploads for one order, all or none. KEYS: each upload's metadata, then each one's refs set (same
// order). ARGV: the order id. Answers {1, metadata...} when all were claimed, else {0, positions (1-based) of the
// uploads that do not exist}.
const CLAIM_ALL = `local n = #KEYS / 2
local metas, missing = {}, {}
for i = 1, n do
  local meta = redis.call('GET', KEYS[i])
  if meta then metas[#metas + 1] = meta else missing[#missing + 1] = i end
end
if #missing > 0 then return {0, missing} end
for i = 1, n do redis.call('SADD', KEYS[n + i], ARGV[1]) end
return {1, metas}`;
const DELETE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
if redis.call('SCARD', KEYS[2]) > 0 then return 'referenced' end
redis.call('DEL', KEYS[1])
return 'deleted'`;
// An order leaving an upload: drop its reference and, when it was the last one, the metadata, in one step, so two
// orders deleted at once cannot both keep (or both miss) the upload.
const RELEASE_AND_DELETE = `redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) > 0 then return 'referenced' end
if redis.call('DEL', KEYS[1]) == 0 then return 'gone' end
return 'deleted'`;
const EXPIRE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
if redis.call('SCARD', KEYS[2]) > 0 then return 'referenced' end
redis.call('DEL', KEYS[1])
return 'deleted'`;

export class DocumentStore {
  constructor(private readonly deps: { s3: Minio.Client; redis: Redis; bucket: string; keyPrefix: string }) {}

  private metaKey(merchantId: string, documentId: string) {
    return this.deps.keyPrefix + storageKeys.uploadMeta(merchantId, documentId);
  }

  private refsKey(merchantId: string, documentId: string) {
    return this.deps.keyPrefix + storageKeys.uploadRefs(merchantId, documentId);
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
        await putToPresignedUrl(url, body, size, contentType);
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
    const stream = await this.deps.s3.getObject(this.deps.bucket, objectKey);
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
   * Deletes an upload that no order references: metadata first (clients stop seeing it), then the object. An upload
   * an order references belongs to that order and is left alone.
   */
  async deleteUpload(merchantId: string, documentId: string): Promise<'deleted' | 'missing' | 'referenced'> {
    const meta = await this.getMeta(merchantId, documentId);
    if (!meta) return 'missing';
    const outcome = (await this.deps.redis.eval(
      DELETE,
      2,
      this.metaKey(merchantId, documentId),
      this.refsKey(merchantId, documentId),
    )) as 'deleted' | 'missing' | 'referenced';
    if (outcome === 'deleted') await this.removeObject(meta.objectKey);
    return outcome;
  }

  /** Records that an order references the upload (idempotent); null when the upload does not exist. */
  async claim(merchantId: string, documentId: string, orderId: string): Promise<UploadMeta | null> {
    const claimed = await this.deps.redis.eval(
      CLAIM,
      2,
      this.metaKey(merchantId, documentId),
      this.refsKey(merchantId, documentId),
      orderId,
    );
    return claimed === 1 ? this.getMeta(merchantId, documentId) : null;
  }

  /**
   * Records that an order references each of these uploads, all or none, in one step (so no upload deleted in the
   * meantime leaves the order half-claimed). Answers the uploads' metadata, or the ids of those that do not exist.
   */
  async claimAll(
    merchantId: string,
    documentIds: string[],
    orderId: string,
  ): Promise<{ claimed: UploadMeta[]; missing: string[] }> {
    const ids = [...new Set(documentIds)];
    if (ids.length === 0) return { claimed: [], missing: [] };
    const keys = [...ids.map((id) => this.metaKey(merchantId, id)), ...ids.map((id) => this.refsKey(merchantId, id))];
    const [ok, values] = (await this.deps.redis.eval(CLAIM_ALL, keys.length, ...keys, orderId)) as
      [1, string[]] | [0, number[]];
    if (ok === 0) return { claimed: [], missing: values.map((i) => ids[i - 1]!) };
    return { claimed: values.map((raw) => JSON.parse(raw) as UploadMeta), missing: [] };
  }

  /** Drops an order's reference; the upload then expires normally (or at once, if its time has passed). */
  async release(merchantId: string, documentId: string, orderId: string): Promise<void> {
    await this.deps.redis.srem(this.refsKey(merchantId, documentId), orderId);
  }

  /**
   * The order is deleted: drop its reference and delete the upload unless another order still references it. Safe
   * to repeat: a retry after the metadata went still removes the object.
   */
  async releaseAndDelete(merchantId: string, documentId: string, orderId: string, objectKey: string) {
    const outcome = (await this.deps.redis.eval(
      RELEASE_AND_DELETE,
      2,
      this.metaKey(merchantId, documentId),
      this.refsKey(merchantId, documentId),
      orderId,
    )) as 'deleted' | 'referenced' | 'gone';
    if (outcome !== 'referenced') await this.removeObject(objectKey);
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

  /** A second's expiry timer fired: expire each of its uploads (claimed ones are spared), then forget the list. */
  async expireBucket(ttlSeconds: number, second: number): Promise<{ deleted: number; referenced: number }> {
    const key = this.bucketKey(ttlSeconds, second);
    const members = await this.deps.redis.smembers(key);
    const counts = { deleted: 0, referenced: 0 };
    for (const member of members) {
      const { merchantId, documentId, objectKey } = JSON.parse(member) as ExpiringUpload;
      const outcome = await this.expire(merchantId, documentId, objectKey);
      if (outcome === 'referenced') counts.referenced++;
      else if (outcome === 'deleted') counts.deleted++;
    }
    await this.deps.redis.del(key);
    return counts;
  }

  /** The expiry timer fired: delete the upload unless an order references it. Safe to repeat. */
  async expire(merchantId: string, documentId: string, objectKey: string): Promise<ExpireOutcome> {
    const outcome = (await this.deps.redis.eval(
      EXPIRE,
      2,
      this.metaKey(merchantId, documentId),
      this.refsKey(merchantId, documentId),
    )) as ExpireOutcome;
    // Also when 'gone': a retried expiry whose first attempt deleted the metadata but not yet the object.
    if (outcome !== 'referenced') await this.removeObject(objectKey);
    return outcome;
  }
}
