import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  TASK_QUEUES,
  type DocumentStorageActivities,
  type UploadExpiryBucketInput,
} from '@esign/temporal-contracts';
import { proxyActivities, sleep } from '@temporalio/workflow';

const storage = proxyActivities<DocumentStorageActivities>({
  taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.quick,
  // Deleting must eventually happen, however long S3 or Redis are down.
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/**
 * The durable expiry timer of every upload of one second: at the end of that second plus the TTL, each of those
 * uploads that no order references by then is deleted. One timer per busy second instead of one per upload keeps
 * the cost of an upload's expiry off its request; exact to the second and survives restarts of every process.
 */
export async function uploadExpiryBucket(
  input: UploadExpiryBucketInput,
): Promise<{ deleted: number; referenced: number }> {
  const due = (input.second + 1 + input.ttlSeconds) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  return storage.expireUploadBucket(input);
}
