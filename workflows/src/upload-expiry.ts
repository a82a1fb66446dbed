import { TASK_QUEUES, type DocumentStorageActivities, type UploadExpiryInput } from '@esign/temporal-contracts';
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

const storage = proxyActivities<DocumentStorageActivities>({
  taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
  startToCloseTimeout: '1 minute',
  // Deleting must eventually happen, however long S3 or Redis are down.
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Ends the timer early: the upload was rejected and cleaned up by the gateway already. */
export const uploadDiscarded = defineSignal('uploadDiscarded');

/**
 * The durable timer of one uploaded document: `ttlSeconds` after the upload, delete it unless an order references
 * it by then (the order then owns it). Exact to the second and survives restarts of every process.
 */
export async function uploadExpiry(input: UploadExpiryInput): Promise<'deleted' | 'referenced' | 'gone' | 'discarded'> {
  let discarded = false;
  setHandler(uploadDiscarded, () => {
    discarded = true;
  });
  if (await condition(() => discarded, `${input.ttlSeconds} seconds`)) return 'discarded';
  return storage.expireUpload({
    merchantId: input.merchantId,
    documentId: input.documentId,
    objectKey: input.objectKey,
  });
}
