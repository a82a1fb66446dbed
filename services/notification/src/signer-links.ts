import { OrderStore, portalLinks } from '@esign/order-store';
import { own, type DeliverNotificationInput, type PlaceholderValues } from '@esign/temporal-contracts';
import type { Redis } from 'ioredis';

/** A delivery whose placeholders hold the signer's links, read from the order: what the senders render. */
export type WithLinks<T extends DeliverNotificationInput> = Omit<T, 'placeholders'> & {
  placeholders?: PlaceholderValues;
};

/**
 * Fills in `${taskUrl} ${signCode} ${signCodeUrl}` from the order's read model at send time. They are bearer links to
 * a signer's task, so no workflow input, activity input or result carries them; only the message sent does. Values a
 * delivery begun before this carried are replaced by the order's own. Links of an order or task gone are empty.
 */
export function signerLinks(deps: { redis: Redis; keyPrefix: string; portalUrl: string }) {
  const orders = new OrderStore({ redis: deps.redis, keyPrefix: deps.keyPrefix });
  return async <T extends DeliverNotificationInput>(input: T): Promise<WithLinks<T>> => {
    const carried = input.placeholders;
    if (!carried) return { ...input, placeholders: undefined };
    const taskId = input.about.taskId;
    const order = taskId ? await orders.getOrder(input.merchantId, input.about.requestId) : null;
    const task = order && taskId ? own(order.tasks, taskId) : undefined;
    const open = task ? order : null;
    // Meant for a signer the task was forwarded away from since (an e-mail retried while the forward happened): their
    // own link, which now says the task was forwarded, never the new signer's.
    const forwards = task?.forwards?.length ?? 0;
    const holder = input.holder ?? forwards;
    const issued =
      open && taskId && holder !== forwards
        ? await orders.issuedSignCode(input.merchantId, open.orderId, taskId, holder)
        : null;
    const signCode = issued ?? ((open && taskId && own(open.signCodes, taskId)) || '');
    const { orderId, clientRef } = carried;
    return {
      ...input,
      placeholders: {
        orderId,
        clientRef,
        taskUrl: open && taskId && signCode ? portalLinks.task(deps.portalUrl, open.orderId, taskId, signCode) : '',
        signCode,
        signCodeUrl: signCode ? portalLinks.signCode(deps.portalUrl, signCode) : '',
      },
    };
  };
}
