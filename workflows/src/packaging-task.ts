import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  ERROR_TYPES,
  own,
  TASK_EVENT_TYPES,
  TASK_QUEUES,
  type ArchiveActivities,
  type NotifySettings,
  type SealingActivities,
  type PackagingStatus,
  type PackagingTaskPlan,
  type TaskStatus,
} from '@esign/temporal-contracts';
import { proxyActivities } from '@temporalio/workflow';
import { notifyPackaging } from './notify/start.js';
import { orderActivities as storage } from './order/activities.js';
import { sealFailureReason } from './order/seal-failure.js';

const packaging = proxyActivities<Pick<SealingActivities, 'packageDocuments'>>({
  taskQueue: TASK_QUEUES.SEALING,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.cpu,
  retry: {
    initialInterval: '1 second',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [ERROR_TYPES.NOT_FOUND, ERROR_TYPES.VALIDATION],
  },
});

/** The archive must get its copy however long S3 is down: retried until it answers. */
export const archiveActivities = proxyActivities<ArchiveActivities>({
  taskQueue: TASK_QUEUES.ARCHIVE,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.quick,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: [ERROR_TYPES.NOT_FOUND] },
});

export interface PackagingTaskInput {
  merchantId: string;
  orderId: string;
  plan: PackagingTaskPlan;
  /** How each named task ended. */
  taskStatuses: Record<string, TaskStatus>;
  notify?: NotifySettings;
}

/**
 * One packaging task (contract §8), started by its order once every task it names has ended: FAILED when one ended
 * other than COMPLETED or the documents cannot be packaged; else the package (successive PAdES signatures, one per
 * signer), archived when asked, COMPLETED. Its state and PACKAGING_TASK_* events (on the named tasks) go to the read
 * model; its notifications fire on CREATED and COMPLETED.
 */
export async function packagingTask(input: PackagingTaskInput): Promise<PackagingStatus> {
  const { merchantId, orderId, plan } = input;
  const id = plan.packagingTaskId;
  const taskIds = [...new Set(plan.documents.map((d) => d.taskId))];
  const scope = { merchantId, orderId, ...(input.notify ? { settings: input.notify } : {}) };
  const record = (
    status: PackagingStatus,
    eventType: string,
    extra: { reason?: string; result?: { objectKey: string; sha256: string; size: number }; archiveId?: string } = {},
  ) => {
    const at = new Date().toISOString();
    const data = extra.reason ? `${id}: ${extra.reason}` : id;
    return storage.recordPackaging({
      merchantId,
      orderId,
      packagingTaskId: id,
      record: { status, at, ...extra },
      events: taskIds.map((taskId) => ({
        taskId,
        eventId: `packaging-${id}-${status}`,
        eventType,
        eventTime: at,
        data,
      })),
    });
  };

  await record('CREATED', TASK_EVENT_TYPES.PACKAGING_CREATED);
  await notifyPackaging(scope, plan, taskIds, 'CREATED');
  const statusOf = (taskId: string) => own(input.taskStatuses, taskId);
  const unfinished = taskIds.filter((t) => statusOf(t) !== 'COMPLETED');
  if (unfinished.length > 0) {
    const reason = unfinished.map((t) => `task ${t} ended ${statusOf(t) ?? 'unknown'}`).join(', ');
    await record('FAILED', TASK_EVENT_TYPES.PACKAGING_FAILED, { reason });
    return 'FAILED';
  }
  let result;
  try {
    result = await packaging.packageDocuments({ merchantId, orderId, packagingTaskId: id, documents: plan.documents });
  } catch (err) {
    // A TSA, OCSP responder or CRL silent through every retry, or a revoked certificate, is named.
    const reason = sealFailureReason(err) ?? 'the documents could not be packaged';
    await record('FAILED', TASK_EVENT_TYPES.PACKAGING_FAILED, { reason });
    return 'FAILED';
  }
  const { objectKey, sha256, size } = result;
  const archived = plan.sendToArchive
    ? await archiveActivities.sendToArchive({
        merchantId,
        source: { kind: 'packaging', orderId, packagingTaskId: id },
        objectKey,
        contentType: 'application/pdf',
        sha256,
      })
    : undefined;
  await record('COMPLETED', TASK_EVENT_TYPES.PACKAGING_COMPLETED, {
    result: { objectKey, sha256, size },
    ...(archived ? { archiveId: archived.archiveId } : {}),
  });
  await notifyPackaging(scope, plan, taskIds, 'COMPLETED');
  return 'COMPLETED';
}
