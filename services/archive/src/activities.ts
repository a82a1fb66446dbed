import type { ArchiveActivities } from '@esign/temporal-contracts';
import type * as Minio from 'minio';

/**
 * Activities of the archive service over an injected S3 client. Write-once archiving arrives with the Packaging and
 * archive issue; the probe lets a workflow prove the worker and its bucket are up.
 */
export function createArchiveActivities({ s3, bucket }: { s3: Minio.Client; bucket: string }): ArchiveActivities {
  return {
    async probeArchiveStore() {
      if (!(await s3.bucketExists(bucket))) throw new Error(`archive bucket ${bucket} does not exist`);
      return { bucket };
    },
  };
}
