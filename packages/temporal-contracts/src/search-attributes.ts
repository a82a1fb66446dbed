import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes operators filter orders by in the Temporal UI. All Keyword: exact match, no PII. */
export const SEARCH_ATTRIBUTES = {
  ORDER_ID: 'SignOrderId',
  MERCHANT_ID: 'SignMerchantId',
  CLIENT_REFERENCE: 'SignClientReference',
  ORDER_STATUS: 'SignOrderStatus',
} as const;

export const SEARCH_ATTRIBUTE_KEYS = {
  ORDER_ID: defineSearchAttributeKey(SEARCH_ATTRIBUTES.ORDER_ID, SearchAttributeType.KEYWORD),
  MERCHANT_ID: defineSearchAttributeKey(SEARCH_ATTRIBUTES.MERCHANT_ID, SearchAttributeType.KEYWORD),
  CLIENT_REFERENCE: defineSearchAttributeKey(SEARCH_ATTRIBUTES.CLIENT_REFERENCE, SearchAttributeType.KEYWORD),
  ORDER_STATUS: defineSearchAttributeKey(SEARCH_ATTRIBUTES.ORDER_STATUS, SearchAttributeType.KEYWORD),
} as const;

/** `--search-attribute Name=Keyword` flags for `temporal server start-dev` and `temporal operator`. */
export function searchAttributeFlags(): string[] {
  return Object.values(SEARCH_ATTRIBUTES).flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
}
