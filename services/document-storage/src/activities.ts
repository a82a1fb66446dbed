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

/** A backstop only: the probe deletes its key once read back, but an attempt cut short leaves it this long. */
const PROBE_TTL_SECONDS = 10 * 60;

async function readObject(s3: Minio.Client, bucket: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await s3.getObject(bucket, key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Activities of the document-storage service, over injected clients (no module-level singletons). */
export function createDocumentActivities({
  s3,
  redis,
  config,
  store,
}: DocumentActivityDeps): DocumentStorageActivities {
  return {
    /**
     * Writes a probe object to S3 and a key to Redis, reads both back and deletes them: proof that a workflow reaches
     * both through this service, leaving nothing behind. Idempotent on retry: the same key and object each attempt,
     * so the last attempt removes what an earlier one left.
     */
    async storeDiagnosticProbe({ probeId }) {
      const storedAt = new Date().toISOString();
      const bucket = config.s3.buckets.documents;
      const key = `diagnostics/${probeId}.json`;
      const body = Buffer.from(JSON.stringify({ probeId, storedAt }));
      const redisKey = `${config.redis.keyPrefix}diagnostics:${probeId}`;
      try {
        const { etag } = await s3.putObject(bucket, key, body, body.length, { 'Content-Type': 'application/json' });
        await redis.set(redisKey, JSON.stringify({ bucket, key, storedAt }), 'EX', PROBE_TTL_SECONDS);
        const [object, stored] = await Promise.all([readObject(s3, bucket, key), redis.get(redisKey)]);
        if (!object.equals(body) || stored === null)
          throw new Error('the diagnostic probe did not read back as written');
        return { probeId, s3: { bucket, key, etag }, redisKey, storedAt, cleanedUp: true };
      } finally {
        await Promise.all([s3.removeObject(bucket, key), redis.del(redisKey)]);
      }
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
