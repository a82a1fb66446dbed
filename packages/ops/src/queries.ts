import { SEARCH_ATTRIBUTES, WORKFLOW_TYPES } from '@esign/temporal-contracts';

/** A value inside a Temporal visibility query, quoted: backslashes and quotes escaped, no control characters. */
export function quote(value: string): string {
  if (/\p{Cc}/u.test(value)) throw new Error('query values cannot contain control characters');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface OrderFilter {
  merchantId?: string;
  status?: string;
  clientReference?: string;
  orderId?: string;
}

/** The visibility query for signing orders matching every given filter (the Sign* search attributes). */
export function ordersQuery(filter: OrderFilter): string {
  const parts = [`WorkflowType = ${quote(WORKFLOW_TYPES.SIGNING_ORDER)}`];
  if (filter.orderId) parts.push(`${SEARCH_ATTRIBUTES.ORDER_ID} = ${quote(filter.orderId)}`);
  if (filter.merchantId) parts.push(`${SEARCH_ATTRIBUTES.MERCHANT_ID} = ${quote(filter.merchantId)}`);
  if (filter.clientReference) parts.push(`${SEARCH_ATTRIBUTES.CLIENT_REFERENCE} = ${quote(filter.clientReference)}`);
  if (filter.status) parts.push(`${SEARCH_ATTRIBUTES.ORDER_STATUS} = ${quote(filter.status)}`);
  return parts.join(' AND ');
}

/** Orders whose id or client reference is `text`. */
export function findQuery(text: string): string {
  const value = quote(text);
  return (
    `WorkflowType = ${quote(WORKFLOW_TYPES.SIGNING_ORDER)} AND ` +
    `(${SEARCH_ATTRIBUTES.ORDER_ID} = ${value} OR ${SEARCH_ATTRIBUTES.CLIENT_REFERENCE} = ${value})`
  );
}
