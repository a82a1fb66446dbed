// What the notification activity tests send: a delivery's input with its placeholders, and how to read a failure.
import { randomUUID } from 'node:crypto';
import type { DeliverNotificationInput, NotificationSpec, PlaceholderValues } from '@esign/temporal-contracts';

export const MERCHANT = 'demo-merchant';
export const placeholders: PlaceholderValues = {
  orderId: 'order-123',
  clientRef: '<script>alert("pwned")</script> & Sons',
  taskUrl: 'http://127.0.0.1:8080/std/docaction?request_id=order-123&task_id=signer1',
  signCode: 'CODE42',
  signCodeUrl: 'http://127.0.0.1:8080/std/docaction?sign_code=CODE42',
};

export function deliverInput(
  notification: Omit<NotificationSpec, 'id'>,
  extra: Partial<DeliverNotificationInput> = {},
) {
  return {
    deliveryId: `delivery-${randomUUID()}`,
    merchantId: MERCHANT,
    notification: { id: 'n1', ...notification },
    about: { requestId: placeholders.orderId, taskId: 'signer1' },
    placeholders,
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
