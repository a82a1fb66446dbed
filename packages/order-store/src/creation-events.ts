import type { SigningOrder } from '@esign/contracts';
import { ids, TASK_EVENT_TYPES, type TaskEvent } from '@esign/temporal-contracts';

export interface FirstEvent {
  eventId: string;
  event: TaskEvent;
}

const undelayed = (delay: { days?: number; hours?: number; minutes?: number } | undefined) =>
  !delay || ((delay.days ?? 0) === 0 && (delay.hours ?? 0) === 0 && (delay.minutes ?? 0) === 0);

/**
 * The events each task has from the moment its order is created: `TASK_CREATED`, and a `NOTIFICATION_SENT` for each
 * e-mail and SMS the creation committed to send (a CREATED schedule entry without delay, of a task that opens at
 * once). Those deliveries are claimed durably with the order's workflow start, whose input names them, and each is
 * handed to its provider at most once; the delivery later records its outcome under the same event id, so a sent
 * notification stays one event and a refused one adds an `ERROR` (see notificationDelivery). URL callbacks, retried
 * for hours, are recorded when a receiver took them. Shown right after the 201 (reservation) and by the read model.
 */
export function creationEvents(
  orderId: string,
  createdAt: string,
  order: Pick<SigningOrder, 'tasks'>,
): Record<string, FirstEvent[]> {
  return Object.fromEntries(
    order.tasks.map((task) => {
      const opensAtOnce = !task.dependsOnTasks?.length;
      const handedOver = (task.notifications ?? []).filter((n) => n.type === 'EMAIL' || n.type === 'SMS');
      const claimed = (opensAtOnce ? handedOver : []).flatMap((n) =>
        (n.schedule ?? [{ triggerStatus: 'CREATED' as const }]).flatMap((entry, i) =>
          entry.triggerStatus === 'CREATED' && undelayed(entry.delay)
            ? [
                {
                  eventId: `notification:${ids.notification(orderId, { taskId: task.id }, n.id, `CREATED-${i}`)}`,
                  event: {
                    eventType: TASK_EVENT_TYPES.NOTIFICATION_SENT,
                    eventTime: createdAt,
                    data: `${n.type} notification ${n.id} (CREATED)`,
                  },
                },
              ]
            : [],
        ),
      );
      const created = { eventId: 'created', event: { eventType: TASK_EVENT_TYPES.CREATED, eventTime: createdAt } };
      return [task.id, [created, ...claimed]];
    }),
  );
}
