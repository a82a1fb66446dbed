import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  ERROR_TYPES,
  TASK_QUEUES,
  type NotificationActivities,
  type OneTimeCodeInput,
} from '@esign/temporal-contracts';
import { proxyActivities } from '@temporalio/workflow';

const notify = proxyActivities<Pick<NotificationActivities, 'sendOneTimeCode'>>({
  taskQueue: TASK_QUEUES.NOTIFICATION,
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.quick,
  // A signer is waiting: a few quick attempts, none for a refused recipient.
  retry: {
    initialInterval: '1 second',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [ERROR_TYPES.NOTIFICATION_REJECTED],
  },
});

/** Sends one one-time code (SMS / e-mail identity methods) through the notification worker; the portal waits for it. */
export async function oneTimeCode(input: OneTimeCodeInput): Promise<'SENT' | 'UNCERTAIN'> {
  const result = await notify.sendOneTimeCode(input);
  return result.outcome;
}
