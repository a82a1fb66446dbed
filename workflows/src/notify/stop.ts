import { ids, type SigningOrderInput } from '@esign/temporal-contracts';
import { getExternalWorkflowHandle } from '@temporalio/workflow';

/**
 * Every delivery id the order's notifications can have, as `notify/start.ts` names them: each schedule entry of each
 * task notification, each order notification, each trigger of each packaging notification. Most were never started
 * or have ended; the ids are derived, so nothing has to be remembered to find the pending ones.
 */
export function deliveryIdsOf(input: Pick<SigningOrderInput, 'orderId' | 'tasks' | 'notifications' | 'packaging'>) {
  const { orderId } = input;
  return [
    ...input.tasks.flatMap(({ taskId, notifications }) =>
      (notifications ?? []).flatMap((plan) =>
        plan.schedule.map((entry, i) => ids.notification(orderId, { taskId }, plan.id, `${entry.triggerStatus}-${i}`)),
      ),
    ),
    ...(input.notifications ?? []).map((n) => ids.notification(orderId, {}, n.id)),
    ...(input.packaging ?? []).flatMap(({ packagingTaskId, notifications }) =>
      (notifications ?? []).flatMap((n) =>
        [...new Set(n.triggers)].map((trigger) => ids.notification(orderId, { packagingTaskId }, n.id, trigger)),
      ),
    ),
  ];
}

/**
 * The order is being deleted: every delivery still waiting (a delay, a retry interval, an activity retry) is
 * cancelled now, so nothing more goes out for an order that is gone. A delivery that never started or has ended
 * refuses the request, which is exactly nothing to do.
 */
export async function stopDeliveries(input: Parameters<typeof deliveryIdsOf>[0]): Promise<void> {
  await Promise.all(
    deliveryIdsOf(input).map((workflowId) =>
      getExternalWorkflowHandle(workflowId)
        .cancel()
        .catch(() => undefined),
    ),
  );
}
