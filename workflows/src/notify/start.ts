import {
  ids,
  type SignerAction,
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
  opts: { holder: number; forward?: Forward } = { holder: 0 },
): Promise<void> {
  const { holder, forward } = opts;
  const starts = (plans ?? []).flatMap((plan) =>
    plan.schedule.flatMap((entry, i) => {
      if (entry.triggerStatus !== trigger) return [];
      const notification = forward ? toNewSigner(specOf(plan), forward) : specOf(plan);
      if (!notification) return [];
      // A trigger fires each entry once; FORWARDED fires once per forward.
      const suffix = forward ? `${trigger}-${forward.index}-${i}` : `${trigger}-${i}`;
      return [
        start(ids.notification(scope.orderId, { taskId }, plan.id, suffix), {
          merchantId: scope.merchantId,
          orderId: scope.orderId,
          taskId,
          notification,
          trigger: { status: trigger, delayMs: entry.delayMs },
          substitute: true,
          eventTaskIds: [taskId],
          settings: scope.settings ?? DEFAULT_SETTINGS,
          holder,
          ...(entry.delayMs > 0 ? { asksTask: true } : {}),
        }),
      ];
    }),
  );
  await Promise.all(starts);
}

type ForwardAction = Extract<SignerAction, { type: 'FORWARDED' }>;
type Forward = { index: number; email?: string; mobile?: string };

/**
 * A FORWARDED notification: an e-mail or SMS goes to the new signer (its placeholders resolve to their link), not
 * to the recipient the merchant wrote, who is not the person the task now belongs to; a URL callback goes where it
 * points. None when the new signer has no address of its type.
 */
function toNewSigner(spec: NotificationSpec, forward: Forward): NotificationSpec | undefined {
  if (spec.type === 'URL') return spec;
  const recipient = spec.type === 'EMAIL' ? forward.email : forward.mobile;
  return recipient ? { ...spec, recipient } : undefined;
}

/**
 * The task's `index`th forward: its FORWARDED notifications, and, on each channel the new signer gave that none of
 * them reaches, the portal's invitation (in the task's language, with the order's e-mail branding).
 */
export async function notifyForwarded(
  scope: NotifyScope,
  taskId: string,
  plans: TaskNotificationPlan[] | undefined,
  index: number,
  action: ForwardAction,
): Promise<void> {
  const forward: Forward = {
    index,
    ...(action.forward.recipientEmail ? { email: action.forward.recipientEmail } : {}),
    ...(action.forward.recipientMobile ? { mobile: action.forward.recipientMobile } : {}),
  };
  const covered = new Set(
    (plans ?? []).filter((p) => p.schedule.some((e) => e.triggerStatus === 'FORWARDED')).map((p) => p.type),
  );
  const { header, message, template } = action.invitation;
  const invitations: NotificationSpec[] = [
    ...(forward.email && !covered.has('EMAIL')
      ? [
          {
            id: 'forward',
            type: 'EMAIL' as const,
            recipient: forward.email,
            header,
            message,
            ...(template ? { template } : {}),
          },
        ]
      : []),
    ...(forward.mobile && !covered.has('SMS')
      ? [{ id: 'forward', type: 'SMS' as const, recipient: forward.mobile, message }]
      : []),
  ];
  await Promise.all([
    notifyTask(scope, taskId, plans, 'FORWARDED', { holder: index, forward }),
    ...invitations.map((notification) =>
      start(ids.notification(scope.orderId, { taskId }, notification.id, `${index}-${notification.type}`), {
        merchantId: scope.merchantId,
        orderId: scope.orderId,
        taskId,
        notification,
        trigger: { status: 'FORWARDED', delayMs: 0 },
        substitute: true,
        eventTaskIds: [taskId],
        settings: scope.settings ?? DEFAULT_SETTINGS,
        holder: index,
      }),
    ),
  ]);
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
