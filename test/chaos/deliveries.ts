// The notifications of a chaos order: the order body that asks for them, and the deliveries it must have had exactly
// once by its end.
import { ids, TASK_EVENT_TYPES, type TaskEvent } from '@esign/temporal-contracts';
import { DOCUMENT_ID, TASK_ID, type OrderRun } from './order-run.js';

export interface ExpectedDelivery {
  /** The delivery id: the notificationDelivery workflow id, `X-Sign-Delivery-Id` of URL callbacks. */
  id: string;
  channel: 'URL' | 'EMAIL';
  order: OrderRun;
  /** The data of the NOTIFICATION_SENT (or ERROR) event the delivery records on the task. */
  event: string;
}

// The task's notifications: an invitation e-mail, a URL callback on every status, an e-mail when the task ends.
const HOOK_TRIGGERS = ['CREATED', 'STARTED', 'COMPLETED', 'REJECTED'] as const;
const OUTCOME_TRIGGERS = ['COMPLETED', 'REJECTED'] as const;

export function orderBody(run: OrderRun, documentRef: string, receiverUrl: string) {
  const mail = (id: string, header: string, triggers: readonly string[]) => ({
    id,
    type: 'EMAIL',
    recipient: run.recipient,
    header,
    message: 'Order ${orderId} (${clientRef}): ${taskUrl}',
    schedule: triggers.map((triggerStatus) => ({ triggerStatus })),
  });
  return {
    clientReference: run.clientReference,
    tasks: [
      {
        id: TASK_ID,
        documents: [{ id: DOCUMENT_ID, action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        notifications: [
          mail('invite', 'Please sign ${clientRef}', ['CREATED']),
          {
            id: 'hook',
            type: 'URL',
            recipient: `${receiverUrl}/task`,
            message: 'task ${orderId}',
            schedule: HOOK_TRIGGERS.map((triggerStatus) => ({ triggerStatus })),
          },
          mail('outcome', 'Your signing task ${clientRef} ended', OUTCOME_TRIGGERS),
        ],
      },
    ],
    notifications: [
      { id: 'order-hook', type: 'URL', recipient: `${receiverUrl}/order`, message: 'order ${orderId} completed' },
      {
        id: 'order-mail',
        type: 'EMAIL',
        recipient: run.recipient,
        header: 'Order ${clientRef} completed',
        message: 'Every task of order ${orderId} is done.',
      },
    ],
  };
}

/** The deliveries an order must have had exactly once by the end, given how it ended. */
export function expectedDeliveries(run: OrderRun): ExpectedDelivery[] {
  if (!run.orderId) return [];
  const orderId = run.orderId;
  const task = (channel: 'URL' | 'EMAIL', id: string, triggers: readonly string[], trigger: string) => {
    const i = triggers.indexOf(trigger);
    return {
      id: ids.notification(orderId, { taskId: TASK_ID }, id, `${trigger}-${i}`),
      channel,
      order: run,
      event: `${channel} notification ${id} (${trigger})`,
    };
  };
  const opened = [
    task('EMAIL', 'invite', ['CREATED'], 'CREATED'),
    task('URL', 'hook', HOOK_TRIGGERS, 'CREATED'),
    task('URL', 'hook', HOOK_TRIGGERS, 'STARTED'),
  ];
  switch (run.kind) {
    case 'cancel':
      return opened;
    case 'reject':
      return [
        ...opened,
        task('URL', 'hook', HOOK_TRIGGERS, 'REJECTED'),
        task('EMAIL', 'outcome', OUTCOME_TRIGGERS, 'REJECTED'),
      ];
    case 'sign':
      return [
        ...opened,
        task('URL', 'hook', HOOK_TRIGGERS, 'COMPLETED'),
        task('EMAIL', 'outcome', OUTCOME_TRIGGERS, 'COMPLETED'),
        {
          id: ids.notification(orderId, {}, 'order-hook'),
          channel: 'URL',
          order: run,
          event: 'URL notification order-hook',
        },
        {
          id: ids.notification(orderId, {}, 'order-mail'),
          channel: 'EMAIL',
          order: run,
          event: 'EMAIL notification order-mail',
        },
      ];
  }
}

/** Whether a task event is the recorded outcome of a delivery: NOTIFICATION_SENT, or ERROR saying why not. */
export const recordsOutcome = (e: TaskEvent, d: ExpectedDelivery) =>
  (e.eventType === TASK_EVENT_TYPES.NOTIFICATION_SENT && e.data === d.event) ||
  (e.eventType === TASK_EVENT_TYPES.ERROR && e.data?.startsWith(`${d.event}:`) === true);
