import type { Payload } from '@temporalio/common';
import type { PayloadEncryptionCodec } from './codec.js';
import { UnknownKeyError } from './keyring.js';
import { jsonPayload, OrderDataDeletedError } from './markers.js';

/** What an operator sees instead of a payload of a deleted order. */
export interface DeletedMarker {
  deleted: true;
  orderId: string;
  note: string;
}

/**
 * Decodes payloads for an operator (the codec server): each one that cannot be read becomes a readable marker
 * instead of failing the whole answer — `deleted` for an order's data destroyed at its deletion, `undecodable` with
 * the reason otherwise (a key no longer configured, a damaged payload).
 */
export async function decodeForOperators(codec: PayloadEncryptionCodec, payloads: Payload[]): Promise<Payload[]> {
  const settled = await codec.decodeSettled(payloads);
  return settled.map((result) => {
    if (result.status === 'fulfilled') return result.value;
    const err: unknown = result.reason;
    if (err instanceof OrderDataDeletedError) {
      const marker: DeletedMarker = {
        deleted: true,
        orderId: err.orderId,
        note: 'The order was deleted: its data key is destroyed, so this payload can no longer be read by anyone.',
      };
      return jsonPayload(marker);
    }
    const reason =
      err instanceof UnknownKeyError ? err.message : 'the payload does not decrypt (damaged, or encrypted elsewhere)';
    return jsonPayload({ undecodable: true, reason });
  });
}
