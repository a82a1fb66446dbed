import type { Config } from '@esign/config';
import type { DocumentStore } from '@esign/document-store';
import { ERROR_TYPES, type DocumentStorageActivities } from '@esign/temporal-contracts';
import { ApplicationFailure } from '@temporalio/activity';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';

export interface DocumentActivityDeps {
  s3: Minio.Client;
  redis: Redis;
  config: Config;
  store: DocumentStore;
}

const PROBE_TTL_SECONDS = 24 * 60 * 60;

/** Activities of the document-storage service, over injected clients (no module-level singletons). */
export function createDocumentActivities({
  s3,
  redis,
  config,
  store,
}: DocumentActivityDeps): DocumentStorageActivities {
  return {
    /** Writes a probe object to S3 and a key to Redis: proof that a workflow reaches both through this service. */
    async storeDiagnosticProbe({ probeId }) {
      const storedAt = new Date().toISOString();
      const bucket = config.s3.buckets.documents;
      const key = `diagnostics/${probeId}.json`;
      const body = Buffer.from(JSON.stringify({ probeId, storedAt }));
      // Idempotent on retry: same key, same content kind; a second write just refreshes it.
      const { etag } = await s3.putObject(bucket, key, body, body.length, { 'Content-Type': 'application/json' });
      const redisKey = `${config.redis.keyPrefix}diagnostics:${probeId}`;
      await redis.set(redisKey, JSON.stringify({ bucket, key, storedAt }), 'EX', PROBE_TTL_SECONDS);
      return { probeId, s3: { bucket, key, etag }, redisKey, storedAt };
    },

    expireUploadBucket({ ttlSeconds, second }) {
      return store.expireBucket(ttlSeconds, second);
    },

    expireUpload({ merchantId, documentId, objectKey }) {
      return store.expire(merchantId, documentId, objectKey);
    },

    async claimUpload({ merchantId, documentId, orderId }) {
      const meta = await store.claim(merchantId, documentId, orderId);
      if (!meta) {
        throw ApplicationFailure.create({
          type: ERROR_TYPES.NOT_FOUND,
          message: `upload ${documentId} does not exist`,
          nonRetryable: true,
        });
      }
      const { contentType, size, sha256, bucket, objectKey } = meta;
      return { merchantId, documentId, contentType, size, sha256, bucket, objectKey };
    },

    releaseUpload({ merchantId, documentId, orderId }) {
      return store.release(merchantId, documentId, orderId);
    },
  };
}
