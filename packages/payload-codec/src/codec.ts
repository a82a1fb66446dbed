import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { ids } from '@esign/temporal-contracts';
import proto from '@temporalio/proto';
import { open, seal } from './aes.js';
import type { Keyring } from './keyring.js';
import {
  CIPHER,
  deletedPayload,
  ENCODINGS,
  METADATA,
  metadataText,
  OrderDataDeletedError,
  orderKeyId,
  orderOfKeyId,
  utf8,
} from './markers.js';
import type { OrderKeyStore } from './order-keys.js';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

/** The order whose workflows own a payload: from the serialization context's workflow id (`ids.orderOf`). */
export const orderOfContext = (context?: SerializationContext): string | undefined =>
  context?.workflowId ? ids.orderOf(context.workflowId) : undefined;

const aadOf = (keyId: string) => `esign-payload/v1|${keyId}`;

/**
 * Temporal payload codec: every payload is encrypted with AES-256-GCM before it leaves the process, the whole payload
 * (its metadata too) inside. Payloads of an order's workflows use the order's data key (`order/<id>` in the
 * metadata); every other payload the keyring's current key (its id in the metadata). Temporal gives the codec the
 * workflow a payload belongs to (its serialization context) when encoding; decoding reads the key id from the
 * payload, so any payload decodes anywhere, a replayed history or a codec server too. Plain payloads (histories
 * from before encryption) decode as they are.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  constructor(
    private readonly deps: {
      keyring: Keyring;
      orderKeys: OrderKeyStore;
      /** The operators' reads: an order's payloads count as deleted from the moment the order was deleted. */
      strict?: boolean;
    },
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const orderId = orderOfContext(context);
    const { keyring, orderKeys } = this.deps;
    const key = orderId ? await orderKeys.forEncrypt(orderId) : keyring.current;
    // The order is deleted and its key destroyed: nothing written now can ever be read, so nothing is kept.
    if (!key) return payloads.map(() => deletedPayload(orderId!));
    const keyId = orderId ? orderKeyId(orderId) : keyring.currentId;
    return payloads.map((payload) => {
      if (metadataText(payload, METADATA.ENCODING) === ENCODINGS.ENCRYPTED) return payload;
      return {
        metadata: {
          [METADATA.ENCODING]: utf8(ENCODINGS.ENCRYPTED),
          [METADATA.KEY_ID]: utf8(keyId),
          [METADATA.CIPHER]: utf8(CIPHER),
        },
        data: seal(key, PayloadMessage.encode(payload).finish(), aadOf(keyId)),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const settled = await this.decodeSettled(payloads);
    return settled.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
  }

  /** Decodes each payload on its own: one that cannot be decoded does not stop the others (the codec server). */
  decodeSettled(payloads: Payload[]): Promise<PromiseSettledResult<Payload>[]> {
    const keys = new Map<string, Promise<Uint8Array>>();
    return Promise.allSettled(payloads.map((payload) => this.decodeOne(payload, keys)));
  }

  /** One payload; `keys` shares each key lookup among the payloads of one call. */
  private async decodeOne(payload: Payload, keys: Map<string, Promise<Uint8Array>>): Promise<Payload> {
    const encoding = metadataText(payload, METADATA.ENCODING);
    const keyId = metadataText(payload, METADATA.KEY_ID) ?? '';
    if (encoding === ENCODINGS.DELETED) throw new OrderDataDeletedError(orderOfKeyId(keyId) ?? keyId);
    if (encoding !== ENCODINGS.ENCRYPTED) return payload;
    let key = keys.get(keyId);
    if (!key) keys.set(keyId, (key = this.keyFor(keyId)));
    const plain = open(await key, payload.data ?? new Uint8Array(0), aadOf(keyId));
    return PayloadMessage.decode(plain);
  }

  private async keyFor(keyId: string): Promise<Uint8Array> {
    const orderId = orderOfKeyId(keyId);
    if (!orderId) return this.deps.keyring.key(keyId);
    const key = await this.deps.orderKeys.forDecrypt(orderId, { strict: this.deps.strict });
    if (!key) throw new OrderDataDeletedError(orderId);
    return key;
  }
}
