import type { Delay, SigningOrder, TaskNotification } from '@esign/contracts';
import {
  addDays,
  type ClaimedUpload,
  type NotifySettings,
  type OrderTaskInput,
  type PackagingTaskPlan,
  type SigningOrderInput,
  type TaskNotificationPlan,
} from '@esign/temporal-contracts';
import { orderLanguage, withTemplate } from '@esign/temporal-contracts';

/** What the planner needs besides the validated order: ids, the time of creation, settings and the uploads used. */
export interface PlanContext {
  orderId: string;
  merchantId: string;
  /** ISO time the order is created: every timer of the order counts from here. */
  createdAt: string;
  /** URL-notification retry settings of this server, fixed for the order's life. */
  notify: NotifySettings;
  /** The uploads the order's documents name (`documentRef`), as Session Data Storage holds them. */
  uploads: ClaimedUpload[];
  /** W3C traceparent of the creating request, when traced. */
  traceparent?: string;
}

const delayMs = (d: Delay | undefined) =>
  d ? (((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60_000 : 0;

/** A task notification without a schedule is sent when the task opens (CREATED), as a plain "please sign" does. */
function taskNotificationPlans(
  order: SigningOrder,
  task: SigningOrder['tasks'][number],
): TaskNotificationPlan[] | undefined {
  const list: TaskNotification[] | undefined = task.notifications;
  if (!list?.length) return undefined;
  return list.map(({ schedule, ...spec }) => ({
    ...withTemplate(order, spec, task.language),
    schedule: (schedule ?? [{ triggerStatus: 'CREATED' as const }]).map((entry) => ({
      triggerStatus: entry.triggerStatus,
      delayMs: delayMs(entry.delay),
    })),
  }));
}

/** A packaging task as its workflow needs it; a notification without schedule fires on COMPLETED. */
function packagingPlan(order: SigningOrder, p: NonNullable<SigningOrder['packagingTasks']>[number]): PackagingTaskPlan {
  return {
    packagingTaskId: p.id,
    method: 'pades',
    sendToArchive: p.sendToArchive ?? false,
    documents: p.documents.map((d) => ({ taskId: d.taskId, documentIds: d.documentIds })),
    ...(p.notifications?.length
      ? {
          notifications: p.notifications.map(({ schedule, ...spec }) => ({
            ...withTemplate(order, spec, orderLanguage(order)),
            triggers: schedule?.map((s) => s.triggerStatus) ?? ['COMPLETED' as const],
          })),
        }
      : {}),
  };
}

function taskPlan(order: SigningOrder, task: SigningOrder['tasks'][number], createdAt: string): OrderTaskInput {
  const archived = task.documents.filter((d) => d.sendResultToArchive).map((d) => d.id);
  const notifications = taskNotificationPlans(order, task);
  return {
    taskId: task.id,
    dependsOnTasks: task.dependsOnTasks ?? [],
    daysToLive: task.daysToLive,
    expiresAt: addDays(createdAt, task.daysToLive),
    documents: task.documents.flatMap((d) =>
      d.source === 'SESSION' && d.documentRef ? [{ documentId: d.id, documentRef: d.documentRef }] : [],
    ),
    documentActions: Object.fromEntries(task.documents.map((d) => [d.id, d.action])),
    ...(notifications ? { notifications } : {}),
    ...(archived.length ? { archiveDocuments: archived } : {}),
  };
}

/**
 * The order's workflow input from the validated order (pure): each task with its expiry time, notification plans
 * (delays in milliseconds), packaging plans and the uploads to take over. Everything the workflows decide later is
 * decided from this; nothing here reads a clock or a store.
 */
export function planSigningOrder(order: SigningOrder, ctx: PlanContext): SigningOrderInput {
  const notifies =
    !!order.notifications?.length ||
    order.tasks.some((t) => t.notifications?.length) ||
    !!order.packagingTasks?.some((p) => p.notifications?.length);
  return {
    orderId: ctx.orderId,
    merchantId: ctx.merchantId,
    ...(order.clientReference ? { clientReference: order.clientReference } : {}),
    createdAt: ctx.createdAt,
    daysUntilDeletion: order.daysUntilDeletion,
    tasks: order.tasks.map((t) => taskPlan(order, t, ctx.createdAt)),
    order,
    uploads: ctx.uploads,
    ...(order.notifications?.length
      ? { notifications: order.notifications.map((n) => withTemplate(order, n, orderLanguage(order))) }
      : {}),
    ...(order.packagingTasks?.length ? { packaging: order.packagingTasks.map((p) => packagingPlan(order, p)) } : {}),
    ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
    ...(notifies ? { notify: ctx.notify } : {}),
  };
}
