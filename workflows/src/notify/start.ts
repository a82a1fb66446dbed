import {
  ids,
  type PackagingTaskPlan,
  type NotificationSpec,
  type NotifySettings,
  type TaskNotificationPlan,
  type TaskTrigger,
} from '@esign/temporal-contracts';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { notificationDelivery } from '../notification-delivery.js';

/** Used when an order predates the settings (they are fixed at creation from the gateway's configuration). */
const DEFAULT_SETTINGS: NotifySettings = { urlRetryIntervalMs: 10 * 60_000, urlRetryWindowMs: 24 * 3_600_000 };

export interface NotifyScope {
  merchantId: string;
  orderId: string;
  settings?: NotifySettings;
}

/**
 * Starts a `notificationDelivery` child for every schedule entry of the task's notifications that `trigger` fires.
 * The children outlive the task (ABANDON): a reminder or a day of URL retries must not hold the task open. The id
 * names notification, trigger and schedule entry, so a trigger fires each entry once even if this runs again. A
 * delayed one asks the task, when its delay has passed, whether the task is still in the trigger status.
 */
export async function notifyTask(
  scope: NotifyScope,
  taskId: string,
  plans: TaskNotificationPlan[] | undefined,
  trigger: TaskTrigger,
): Promise<void> {
  const starts = (plans ?? []).flatMap((plan) =>
    plan.schedule.flatMap((entry, i) =>
      entry.triggerStatus !== trigger
        ? []
        : [
            start(ids.notification(scope.orderId, { taskId }, plan.id, `${trigger}-${i}`), {
              merchantId: scope.merchantId,
              orderId: scope.orderId,
              taskId,
              notification: specOf(plan),
              trigger: { status: trigger, delayMs: entry.delayMs },
              substitute: true,
              eventTaskIds: [taskId],
              settings: scope.settings ?? DEFAULT_SETTINGS,
              ...(entry.delayMs > 0 ? { asksTask: true } : {}),
            }),
          ],
    ),
  );
  await Promise.all(starts);
}

/** The order's notifications, once every task is COMPLETED; recorded on every task. */
export async function notifyOrderCompleted(
  scope: NotifyScope,
  taskIds: string[],
  notifications: NotificationSpec[] | undefined,
): Promise<void> {
  await Promise.all(
    (notifications ?? []).map((n) =>
      start(ids.notification(scope.orderId, {}, n.id), {
        merchantId: scope.merchantId,
        orderId: scope.orderId,
        notification: n,
        substitute: true,
        eventTaskIds: taskIds,
        settings: scope.settings ?? DEFAULT_SETTINGS,
      }),
    ),
  );
}

/** A packaging task's notifications for `trigger` (no placeholders; recorded on the packaged tasks). */
export async function notifyPackaging(
  scope: NotifyScope,
  plan: PackagingTaskPlan,
  taskIds: string[],
  trigger: 'CREATED' | 'COMPLETED',
): Promise<void> {
  const { packagingTaskId } = plan;
  await Promise.all(
    (plan.notifications ?? [])
      .filter((n) => n.triggers.includes(trigger))
      .map(({ triggers: _triggers, ...n }) =>
        start(ids.notification(scope.orderId, { packagingTaskId }, n.id, trigger), {
          merchantId: scope.merchantId,
          orderId: scope.orderId,
          packagingTaskId,
          notification: n,
          substitute: false,
          eventTaskIds: taskIds,
          settings: scope.settings ?? DEFAULT_SETTINGS,
        }),
      ),
  );
}

async function start(workflowId: string, input: Parameters<typeof notificationDelivery>[0]): Promise<void> {
  try {
    await startChild(notificationDelivery, {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    // Started before (the same trigger seen again after a reset): the first delivery stands.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

const specOf = ({ schedule: _schedule, ...spec }: TaskNotificationPlan): NotificationSpec => spec;
