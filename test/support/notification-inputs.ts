// What the notification activity tests send: a delivery's input with its placeholders, and how to read a failure.
import { randomUUID } from 'node:crypto';
import type { DeliverNotificationInput, NotificationSpec, PlaceholderValues } from '@esign/temporal-contracts';

export const MERCHANT = 'demo-merchant';
/** The portal origin the activities under test are configured with. */
export const PORTAL_URL = 'http://127.0.0.1:8080';
/**
 * The values a delivery about `order-123`'s task `signer1` is rendered with. The signer's links come from the order
 * the suite records in Redis (sign code CODE42), whatever the delivery carries (`carried` holds only the rest).
 */
export const placeholders: PlaceholderValues = {
  orderId: 'order-123',
  clientRef: '<script>alert("pwned")</script> & Sons',
  taskUrl: `${PORTAL_URL}/std/docaction?request_id=order-123&task_id=signer1&sign_code=CODE42`,
  signCode: 'CODE42',
  signCodeUrl: `${PORTAL_URL}/std/docaction?sign_code=CODE42`,
};
export const carried = { orderId: placeholders.orderId, clientRef: placeholders.clientRef };

export function deliverInput(
  notification: Omit<NotificationSpec, 'id'>,
  extra: Partial<DeliverNotificationInput> = {},
) {
  return {
    deliveryId: `delivery-${randomUUID()}`,
    merchantId: MERCHANT,
    notification: { id: 'n1', ...notification },
    about: { requestId: placeholders.orderId, taskId: 'signer1' },
    placeholders: carried,
    ...extra,
  } satisfies DeliverNotificationInput;
}

/** What an activity threw, as a Temporal ApplicationFailure looks (type, retryability, message). */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ type?: string; nonRetryable?: boolean; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { type?: string; nonRetryable?: boolean; message: string };
  }
  throw new Error('expected the activity to fail');
}
