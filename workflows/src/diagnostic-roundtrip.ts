import {
  TASK_QUEUES,
  type ArchiveActivities,
  type DiagnosticRoundtripInput,
  type DiagnosticRoundtripResult,
  type DocumentStorageActivities,
  type NotificationActivities,
} from '@esign/temporal-contracts';
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';

// A diagnostic must answer quickly: a few short attempts, then the failure is the answer.
const options: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '2 seconds', maximumAttempts: 3 },
};
const storage = proxyActivities<DocumentStorageActivities>({ ...options, taskQueue: TASK_QUEUES.DOCUMENT_STORAGE });
const notification = proxyActivities<NotificationActivities>({ ...options, taskQueue: TASK_QUEUES.NOTIFICATION });
const archive = proxyActivities<ArchiveActivities>({ ...options, taskQueue: TASK_QUEUES.ARCHIVE });

/**
 * Proves the path gateway → Temporal → orchestrator → every activity worker and back: document-storage writes to
 * S3 and Redis, notification reaches SMTP, archive reaches its bucket.
 */
export async function diagnosticRoundtrip(input: DiagnosticRoundtripInput): Promise<DiagnosticRoundtripResult> {
  const [stored, notificationProbe, archiveProbe] = await Promise.all([
    storage.storeDiagnosticProbe({ probeId: input.probeId }),
    notification.probeNotificationChannels(),
    archive.probeArchiveStore(),
  ]);
  return {
    ...stored,
    workflowId: workflowInfo().workflowId,
    notification: notificationProbe,
    archive: archiveProbe,
  };
}
