import type { Payload } from '@temporalio/common';

/** Payload metadata the codec writes; values are UTF-8. */
export const METADATA = {
  ENCODING: 'encoding',
  /** The payload key's id, or `order/<orderId>` for an order's data key. */
  KEY_ID: 'encryption-key-id',
  CIPHER: 'encryption-cipher',
} as const;

export const ENCODINGS = {
  ENCRYPTED: 'binary/encrypted',
  /** A payload written for an order whose data key was already destroyed: nothing of it was kept. */
  DELETED: 'binary/esign-deleted',
  JSON: 'json/plain',
} as const;

export const CIPHER = 'AES-256-GCM';
const ORDER_KEY_PREFIX = 'order/';

export const utf8 = (value: string): Uint8Array => Buffer.from(value, 'utf8');
export const metadataText = (payload: Payload, name: string): string | undefined => {
  const value = payload.metadata?.[name];
  return value ? Buffer.from(value).toString('utf8') : undefined;
};

export const orderKeyId = (orderId: string) => `${ORDER_KEY_PREFIX}${orderId}`;
/** The order a key id names, if it names one. */
export const orderOfKeyId = (keyId: string) =>
  keyId.startsWith(ORDER_KEY_PREFIX) ? keyId.slice(ORDER_KEY_PREFIX.length) : undefined;

/** A payload of an order whose data key is destroyed could not be read: the order and its data were deleted. */
export class OrderDataDeletedError extends Error {
  constructor(readonly orderId: string) {
    super(`payloads of order ${orderId} were deleted with the order (its data key is destroyed)`);
    this.name = 'OrderDataDeleted';
  }
}

/** What is stored instead of a payload written after its order's data key was destroyed. */
export function deletedPayload(orderId: string): Payload {
  return {
    metadata: { [METADATA.ENCODING]: utf8(ENCODINGS.DELETED), [METADATA.KEY_ID]: utf8(orderKeyId(orderId)) },
    data: new Uint8Array(0),
  };
}

/** A readable JSON payload: what the operators' codec server answers instead of a payload it cannot decode. */
export function jsonPayload(value: unknown): Payload {
  return { metadata: { [METADATA.ENCODING]: utf8(ENCODINGS.JSON) }, data: utf8(JSON.stringify(value)) };
}
