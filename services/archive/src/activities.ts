import { ArchiveFailure, ArchiveStore, archiveIdKey, archiveIdOf } from '@esign/archive-store';
import { ERROR_TYPES, type ArchiveActivities, type ArchiveInput, type ArchiveResult } from '@esign/temporal-contracts';
import { ApplicationFailure } from '@temporalio/activity';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { createRenewalActivities, type RenewalSettings } from './renewal.js';

export interface ArchiveActivityDeps {
  s3: Minio.Client;
  redis: Redis;
  /** `config.redis.keyPrefix`. */
  keyPrefix: string;
  /** Sources are read from `documents`, copies written to `archive`. */
  buckets: { documents: string; archive: string };
  /**
   * `config.signCodeSecret`: archive ids are derived from it under their own label (see `archiveIdKey` in
   * @esign/archive-store), so they are stable across retries and unguessable.
   */
  idSecret: string;
  /** Timestamp renewal of archived documents; off without a TSA (their results carry none to renew). */
  renewal?: RenewalSettings;
}

/**
 * The archive service's activities (contract §8): write-once copies of results and packages into the archive
 * bucket, recorded per merchant, outliving the order. Both archiving activities are idempotent: the archive id is
 * derived from the merchant and the source, and an existing copy is checked, never rewritten.
 */
export function createArchiveActivities(deps: ArchiveActivityDeps): ArchiveActivities {
  const { s3, redis, keyPrefix, buckets } = deps;
  const store = new ArchiveStore({ s3, redis, keyPrefix, bucket: buckets.archive });
  const idKey = archiveIdKey(deps.idSecret);

  async function archive(input: ArchiveInput): Promise<ArchiveResult> {
    const archiveId = archiveIdOf(idKey, input.merchantId, input.source);
    try {
      await store.archive({
        merchantId: input.merchantId,
        archiveId,
        source: input.source,
        from: { bucket: buckets.documents, objectKey: input.objectKey },
        contentType: input.contentType,
        sha256: input.sha256,
      });
    } catch (err) {
      if (err instanceof ArchiveFailure) {
        throw ApplicationFailure.create({
          type: err.reason === 'source-missing' ? ERROR_TYPES.NOT_FOUND : ERROR_TYPES.CONFLICT,
          message: err.message,
          nonRetryable: true,
        });
      }
      throw err;
    }
    // Every archived document gets its renewal workflow (idempotent: a retry finds it running).
    await deps.renewal?.start({ merchantId: input.merchantId, archiveId });
    return { archiveId };
  }

  return {
    async probeArchiveStore() {
      if (!(await s3.bucketExists(buckets.archive)))
        throw new Error(`archive bucket ${buckets.archive} does not exist`);
      return { bucket: buckets.archive };
    },
    sendResultToArchive: archive,
    sendToArchive: archive,
    ...createRenewalActivities(store, deps.renewal),
  };
}
