import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  ERROR_TYPES,
  TASK_EVENT_TYPES,
  TASK_QUEUES,
  URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS,
  type DeliverNotificationInput,
  type NotificationActivities,
  type NotificationDeliveryInput,
  type NotificationDeliveryOutcome,
  type TaskTrigger,
  type UrlCallResult,
} from '@esign/temporal-contracts';
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  sleep,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import { orderActivities as storage } from './order/activities.js';

/**
 * One notification for one trigger, from its delay to its recorded outcome. Its workflow id is the delivery id the
 * notification worker uses as idempotency key, so however often an activity is retried or a worker dies, the
 * notification is handed to its provider at most once. E-mail and SMS are retried by Temporal (backing off to the
 * retry interval) within the retry window; URL callbacks are attempted here at every retry interval until the
 * window after the first attempt has passed. The outcome is an event on the task(s): NOTIFICATION_SENT or ERROR.
 */
export async function notificationDelivery(input: NotificationDeliveryInput): Promise<NotificationDeliveryOutcome> {
  try {
    return await deliver(input);
  } catch (err) {
    // Cancelled by its order's deletion (notify/stop.ts): whatever it was waiting for, nothing more is sent, and
    // nothing is recorded for an order that is gone.
    if (isCancellation(err)) return { outcome: 'SKIPPED', reason: 'order-deleted' };
    throw err;
  }
}

async function deliver(input: NotificationDeliveryInput): Promise<NotificationDeliveryOutcome> {
  const { merchantId, orderId, taskId, notification, trigger } = input;
  const delayed = !!trigger && trigger.delayMs > 0;
  if (delayed) await sleep(trigger.delayMs);
  // A delayed notification goes out only if the task is still where it was when the delay began (contract §5): the
  // task itself says, through its query. Deliveries started before (no `asksTask`) read it from the read model.
  const asked = delayed && input.asksTask && taskId ? await storage.taskState({ orderId, taskId }) : undefined;
  if (asked && trigger && !stillIn(trigger.status, asked)) return { outcome: 'SKIPPED', reason: 'left-trigger-status' };
  // An e-mail or SMS for a signer the task no longer belongs to: the link in it would be the new signer's.
  if (asked && notification.type !== 'URL' && input.holder !== undefined && (asked.forwards ?? 0) !== input.holder) {
    return { outcome: 'SKIPPED', reason: 'forwarded-since' };
  }

  const context = await storage.readNotificationContext({ merchantId, orderId, ...(taskId ? { taskId } : {}) });
  if (!context.exists) return { outcome: 'SKIPPED', reason: 'order-gone' };
  if (delayed && trigger && !asked && !stillIn(trigger.status, context.task)) {
    return { outcome: 'SKIPPED', reason: 'left-trigger-status' };
  }

  const delivery: DeliverNotificationInput = {
    deliveryId: workflowInfo().workflowId,
    merchantId,
    notification,
    about: {
      requestId: orderId,
      ...(taskId ? { taskId } : {}),
      ...(input.packagingTaskId ? { packagingTaskId: input.packagingTaskId } : {}),
    },
    ...(input.substitute ? { placeholders: context.placeholders } : {}),
    ...(input.redriveOf ? { redriveOf: input.redriveOf } : {}),
    ...(input.holder !== undefined ? { holder: input.holder } : {}),
  };
  const outcome = notification.type === 'URL' ? await callUntilDelivered(delivery, input) : await send(delivery, input);
  await recordOutcome(input, outcome);
  return outcome;
}

function stillIn(trigger: TaskTrigger, task: { status: string } | undefined): boolean {
  if (!task) return true;
  switch (trigger) {
    case 'CREATED':
    case 'STARTED':
    case 'FORWARDED':
      // The task is still open to its signer (STARTED is not a task status: a started task is still CREATED).
      return task.status === 'CREATED';
    default:
      return task.status === trigger;
  }
}

/** E-mail and SMS: one activity, retried by Temporal until the window closes or the provider refuses for good. */
async function send(delivery: DeliverNotificationInput, input: NotificationDeliveryInput) {
  const { urlRetryIntervalMs: interval, urlRetryWindowMs: window } = input.settings;
  const activities = proxyActivities<NotificationActivities>({
    taskQueue: TASK_QUEUES.NOTIFICATION,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.quick,
    scheduleToCloseTimeout: window,
    retry: {
      initialInterval: Math.min(10_000, interval),
      backoffCoefficient: 2,
      maximumInterval: interval,
      nonRetryableErrorTypes: [ERROR_TYPES.NOTIFICATION_REJECTED],
    },
  });
  try {
    const result =
      delivery.notification.type === 'EMAIL'
        ? await activities.sendEmail(delivery)
        : await activities.sendSms(delivery);
    if (result.outcome === 'SENT') return { outcome: 'SENT', attempts: 1 } as const;
    return {
      outcome: 'FAILED',
      attempts: 1,
      reason: 'an attempt stopped while handing it to the provider; not sent again, so it went out at most once',
    } as const;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { outcome: 'FAILED', attempts: 1, reason: failureReason(err) } as const;
  }
}

function failureReason(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === ERROR_TYPES.NOTIFICATION_REJECTED) {
    return `refused by the provider: ${cause.message}`;
  }
  return 'not accepted by the provider within the retry window';
}

// Patch marker: before it, an attempt whose worker died or froze counted as the receiver's failure and the next one
// waited for the next retry interval (10 minutes by default).
const WORKER_FAILURE_RETRY = 'url-attempt-worker-failure-retried-at-once';
/** An attempt lost to its worker is made again after this, on whichever worker takes it. */
const WORKER_RETRY_DELAY_MS = 1_000;
/** How often one attempt is made again for its worker's sake before it counts as a failed attempt. */
const WORKER_RETRIES_PER_ATTEMPT = 10;

/** The attempt ended because its worker stopped answering (heartbeats or start-to-close ran out), not the receiver. */
function lostToItsWorker(err: unknown): boolean {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof TimeoutFailure)) return false;
  const type = err.cause.timeoutType;
  return type === 'HEARTBEAT' || type === 'START_TO_CLOSE';
}

/**
 * URL callbacks: attempts at the first attempt's time plus whole retry intervals, never after the window. Only HTTP
 * 200 delivers. A worker that dies or freezes mid-attempt is noticed when its heartbeats stop; that is no failure of
 * the receiver, so the same attempt is made again a second later on whichever worker takes it (the delivery ledger
 * answers DELIVERED without a call if the lost one had its 200 recorded), a few times before it counts as failed.
 */
async function callUntilDelivered(delivery: DeliverNotificationInput, input: NotificationDeliveryInput) {
  const { urlRetryIntervalMs: interval, urlRetryWindowMs: window } = input.settings;
  const activities = proxyActivities<NotificationActivities>({
    taskQueue: TASK_QUEUES.NOTIFICATION,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS,
    retry: { maximumAttempts: 1 },
  });
  const first = Date.now();
  for (let attempt = 1; ; attempt++) {
    let result: UrlCallResult | undefined;
    for (let workerRetries = 0; !result; workerRetries++) {
      try {
        result = await activities.callUrl({ ...delivery, attempt });
      } catch (err) {
        if (isCancellation(err)) throw err;
        const again =
          lostToItsWorker(err) &&
          workerRetries < WORKER_RETRIES_PER_ATTEMPT &&
          Date.now() + WORKER_RETRY_DELAY_MS <= first + window &&
          patched(WORKER_FAILURE_RETRY);
        if (again) await sleep(WORKER_RETRY_DELAY_MS);
        else result = attemptDidNotFinish();
      }
    }
    if (result.outcome === 'DELIVERED') return { outcome: 'DELIVERED', attempts: attempt } as const;
    if (!result.retryable) return { outcome: 'FAILED', attempts: attempt, reason: result.reason } as const;
    const next = first + attempt * interval;
    if (next > first + window) {
      const reason = `given up after ${attempt} attempts in ${describeMs(window)} (last: ${result.reason})`;
      return { outcome: 'FAILED', attempts: attempt, reason } as const;
    }
    await sleep(Math.max(next - Date.now(), 1));
  }
}

function attemptDidNotFinish(): UrlCallResult {
  return { outcome: 'FAILED', at: new Date().toISOString(), reason: 'the attempt did not finish', retryable: true };
}

function describeMs(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 1000)} s`;
}

async function recordOutcome(input: NotificationDeliveryInput, outcome: NotificationDeliveryOutcome): Promise<void> {
  const n = input.notification;
  const trigger = input.trigger ? ` (${input.trigger.status})` : '';
  // A redrive says what it redrives, so the task's events show both deliveries for what they are.
  const what = `${n.type} notification ${n.id}${trigger}${input.redriveOf ? `, redrive of ${input.redriveOf}` : ''}`;
  const event =
    outcome.outcome === 'FAILED'
      ? { eventType: TASK_EVENT_TYPES.ERROR, data: `${what}: ${outcome.reason}` }
      : { eventType: TASK_EVENT_TYPES.NOTIFICATION_SENT, data: what };
  const at = new Date().toISOString();
  // A sent notification keeps the id its order's creation may have recorded it under already (creationEvents), so
  // it stays one event; a failure is an event of its own beside it.
  const sentId = `notification:${workflowInfo().workflowId}`;
  const eventId = outcome.outcome === 'FAILED' ? `${sentId}:error` : sentId;
  await storage.recordTaskStatus({
    merchantId: input.merchantId,
    orderId: input.orderId,
    changes: input.eventTaskIds.map((taskId) => ({ taskId, at, events: [{ ...event, eventTime: at, eventId }] })),
  });
}
