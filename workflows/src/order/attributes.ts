import { SEARCH_ATTRIBUTE_KEYS, type OrderStatus, type SigningOrderInput } from '@esign/temporal-contracts';
import { upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

/**
 * Makes the order findable by operators (search attributes) and shows its size (memo). The gateway normally sets
 * both at start; an upsert is one more history event each, so only what is missing is written.
 */
export function upsertStartAttributes(input: SigningOrderInput): void {
  const present = workflowInfo().typedSearchAttributes;
  const wanted = [
    { key: SEARCH_ATTRIBUTE_KEYS.ORDER_ID, value: input.orderId },
    { key: SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID, value: input.merchantId },
    ...(input.clientReference ? [{ key: SEARCH_ATTRIBUTE_KEYS.CLIENT_REFERENCE, value: input.clientReference }] : []),
    { key: SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS, value: 'ACTIVE' },
  ];
  const missing = wanted.filter(({ key, value }) => present.get(key) !== value);
  if (missing.length > 0) upsertSearchAttributes(missing);
  if (workflowInfo().memo?.taskCount !== input.tasks.length) upsertMemo({ taskCount: input.tasks.length });
}

export function setOrderStatusAttribute(status: OrderStatus): void {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS, value: status }]);
}
