import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ids, type ArchiveRecord, type ArchiveSource } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';

/** Why archiving cannot succeed, however often it is retried. */
export type ArchiveFailureReason = 'source-missing' | 'conflict';

export class ArchiveFailure extends Error {
  constructor(
    readonly reason: ArchiveFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveFailure';
  }
}

export interface ArchiveRequest {
  merchantId: string;
  /** From `archiveIdOf`: the same source always gets the same id. */
  archiveId: string;
  source: ArchiveSource;
  /** Where the bytes are now (the documents bucket). */
  from: { bucket: string; objectKey: string };
  contentType: string;
  /** Hex SHA-256 the bytes must have. */
  sha256: string;
}

export interface ArchivedDocument {
  record: ArchiveRecord;
  body: Readable;
}

export interface ArchiveStoreDeps {
  s3: Minio.Client;
  redis: Redis;
  /** `config.redis.keyPrefix`. */
  keyPrefix: string;
  /** The archive bucket (`config.s3.buckets.archive`). */
  bucket: string;
}

interface ArchivedObject {
  size: number;
  sha256: string | undefined;
  contentType: string | undefined;
  lastModified: Date;
}

// User metadata on each archived object: the SHA-256 its bytes were checked against before they were written.
const SHA256_META = 'x-amz-meta-sha256';

const isMissing = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'NoSuchKey' || code === 'NotFound';
};

/**
 * The archive (contract §8): per merchant, immutable copies that outlive their order. Bytes in the archive bucket
 * at `storageKeys.archiveObject`, the record in Redis at `storageKeys.archiveMeta`; the object is written first and
 * the record last, so a reader never sees a record without its object. Shared by the archive service (`archive`)
 * and the gateway (`get`, `delete`).
 *
 * Write-once is enforced by this store, not by S3 object lock: object lock can only be enabled when a bucket is
 * created (SeaweedFS answers `InvalidBucketState` to `PutObjectLockConfiguration` on the existing archive bucket),
 * it turns versioning on, and its retention would refuse the DELETE the contract gives merchants (COMPLIANCE), or
 * be bypassable by the very credentials this service holds (GOVERNANCE). Instead an archived object is only ever
 * created with a conditional PUT (`If-None-Match: *`, which SeaweedFS honours with 412), never overwritten, and
 * an existing copy is checked against the expected SHA-256 instead of being rewritten.
 */
export class ArchiveStore {
  constructor(private readonly deps: ArchiveStoreDeps) {}

  get bucket(): string {
    return this.deps.bucket;
  }

  private metaKey(merchantId: string, archiveId: string): string {
    return this.deps.keyPrefix + storageKeys.archiveMeta(merchantId, archiveId);
  }

  /** The record of a merchant's archived document, or null (unknown id, another merchant's, or malformed). */
  async getRecord(merchantId: string, archiveId: string): Promise<ArchiveRecord | null> {
    if (!ids.isSafe(archiveId) || !ids.isSafe(merchantId)) return null;
    const raw = await this.deps.redis.get(this.metaKey(merchantId, archiveId));
    if (!raw) return null;
    const record = JSON.parse(raw) as ArchiveRecord;
    return record.merchantId === merchantId ? record : null;
  }

  /** A merchant's archived document: its record and a stream of its bytes; null when there is none. */
  async get(merchantId: string, archiveId: string): Promise<ArchivedDocument | null> {
    const record = await this.getRecord(merchantId, archiveId);
    if (!record) return null;
    try {
      return { record, body: await this.deps.s3.getObject(this.deps.bucket, record.objectKey) };
    } catch (err) {
      // Deleted between the two reads.
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /**
   * Deletes a merchant's archived document: the record first (clients stop seeing it), then the object and its
   * timestamp renewals. The objects are removed even when the record is already gone, so repeating a delete that
   * failed halfway finishes it. True when there was a record to delete.
   */
  async delete(merchantId: string, archiveId: string): Promise<boolean> {
    if (!ids.isSafe(archiveId) || !ids.isSafe(merchantId)) return false;
    const removed = await this.deps.redis.del(this.metaKey(merchantId, archiveId));
    const base = storageKeys.archiveObject(merchantId, archiveId);
    const keys: string[] = [base];
    for await (const item of this.deps.s3.listObjectsV2(this.deps.bucket, `${base}.r`, true)) {
      if (typeof (item as { name?: unknown }).name === 'string') keys.push((item as { name: string }).name);
    }
    await this.deps.s3.removeObjects(this.deps.bucket, keys);
    return removed > 0;
  }

  /**
   * Renews an archived document's timestamps: `extend` gets its current bytes and returns them with an incremental
   * update appended, which is stored write-once as the next version (`storageKeys.archiveVersion`); the record then
   * points to it. Earlier versions stay until the document is deleted. A retry after the version was stored adopts
   * that copy. Null when the document is gone, before or meanwhile.
   */
  async renew(
    merchantId: string,
    archiveId: string,
    extend: (bytes: Buffer) => Promise<Buffer>,
  ): Promise<ArchiveRecord | null> {
    const record = await this.getRecord(merchantId, archiveId);
    if (!record) return null;
    const current = await this.readSource({ bucket: this.deps.bucket, objectKey: record.objectKey }).catch(
      (err: unknown) => {
        if (err instanceof ArchiveFailure) return null; // deleted between the two reads
        throw err;
      },
    );
    if (!current) return null;
    const next = await extend(current);
    if (!next.subarray(0, current.length).equals(current)) throw new Error('a renewal may only append to the bytes');
    const renewals = (record.renewals ?? 0) + 1;
    const objectKey = storageKeys.archiveVersion(merchantId, archiveId, renewals);
    await this.createOnce(objectKey, next, record.contentType, createHash('sha256').update(next).digest('hex'));
    const stored = await this.statArchived(objectKey);
    if (!stored?.sha256) throw new Error(`archived version ${objectKey} is missing right after it was written`);
    const renewed: ArchiveRecord = {
      ...record,
      objectKey,
      size: stored.size,
      sha256: stored.sha256,
      renewals,
      renewedAt: stored.lastModified.toISOString(),
    };
    // XX: only while the record exists; a merchant's DELETE in between wins, and the new version goes too.
    if ((await this.deps.redis.set(this.metaKey(merchantId, archiveId), JSON.stringify(renewed), 'XX')) === null) {
      await this.deps.s3.removeObject(this.deps.bucket, objectKey);
      return null;
    }
    return renewed;
  }

  /**
   * Copies a source object into the archive, write-once, and records it. Idempotent: when the copy exists already
   * (a retry, or a concurrent call) it is checked, not rewritten, and its record (re)written from what is stored,
   * so every call for a source yields the same record. Throws `ArchiveFailure` `source-missing` when there is no
   * copy yet and the source is gone, `conflict` when the bytes (source or existing copy) do not have the expected
   * SHA-256: the first copy of a source is the one kept, for good.
   *
   * The bytes pass through memory once: results are bounded by the upload size limit, like sealing them is.
   */
  async archive(req: ArchiveRequest): Promise<ArchiveRecord> {
    const objectKey = storageKeys.archiveObject(req.merchantId, req.archiveId);
    let stored = await this.statArchived(objectKey);
    if (!stored) {
      const bytes = await this.readSource(req.from);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== req.sha256) {
        throw new ArchiveFailure('conflict', `the source's SHA-256 is ${sha256}, not the expected ${req.sha256}`);
      }
      await this.createOnce(objectKey, bytes, req.contentType, sha256);
      stored = await this.statArchived(objectKey);
      // Deleted again in between (a merchant's DELETE): nothing to record; a retry archives anew.
      if (!stored) throw new Error(`archived object ${objectKey} vanished right after it was written`);
    }
    if (stored.sha256 !== req.sha256) {
      throw new ArchiveFailure(
        'conflict',
        `this source was archived already with SHA-256 ${stored.sha256 ?? 'unknown'}; an archived copy is never replaced`,
      );
    }
    const record: ArchiveRecord = {
      archiveId: req.archiveId,
      merchantId: req.merchantId,
      objectKey,
      contentType: stored.contentType ?? req.contentType,
      size: stored.size,
      sha256: stored.sha256,
      archivedAt: stored.lastModified.toISOString(),
      source: req.source,
    };
    await this.deps.redis.set(this.metaKey(req.merchantId, req.archiveId), JSON.stringify(record));
    return record;
  }

  private async statArchived(objectKey: string): Promise<ArchivedObject | null> {
    try {
      const stat = await this.deps.s3.statObject(this.deps.bucket, objectKey);
      const meta = stat.metaData as Record<string, string | undefined>;
      return {
        size: stat.size,
        sha256: meta.sha256,
        contentType: meta['content-type'],
        lastModified: stat.lastModified,
      };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  private async readSource(from: { bucket: string; objectKey: string }): Promise<Buffer> {
    let stream: Readable;
    try {
      stream = await this.deps.s3.getObject(from.bucket, from.objectKey);
    } catch (err) {
      if (isMissing(err)) throw new ArchiveFailure('source-missing', `no object ${from.objectKey} to archive`);
      throw err;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * One conditional PUT (any size: no multipart, whose completion would not carry the condition): created only if
   * no object has the key, with Content-MD5 so the server checks what it received. 412 means another call created
   * it first; the caller then checks that copy like any existing one. `makeRequestAsync` is the client's own signed
   * request, with a Buffer body so its retry can resend it; `putObject` would go multipart above the part size.
   */
  private async createOnce(objectKey: string, bytes: Buffer, contentType: string, sha256: string): Promise<void> {
    const res: IncomingMessage = await this.deps.s3.makeRequestAsync(
      {
        method: 'PUT',
        bucketName: this.deps.bucket,
        objectName: objectKey,
        headers: {
          'Content-Type': contentType,
          'Content-MD5': createHash('md5').update(bytes).digest('base64'),
          'If-None-Match': '*',
          [SHA256_META]: sha256,
        },
      },
      bytes,
      [200, 412],
    );
    await finished(res.resume());
  }
}
