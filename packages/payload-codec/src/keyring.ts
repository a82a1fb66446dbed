import { KEY_BYTES, newKey, open, seal } from './aes.js';

/** The configured key-encryption keys: every one decrypts, `currentId` encrypts. */
export interface KeyringConfig {
  keys: Array<{ id: string; key: Uint8Array }>;
  currentId: string;
}

/** An order's data key as stored: wrapped (encrypted) by one key of the keyring, named by its id. */
export interface WrappedKey {
  kek: string;
  wrapped: string;
}

/** A payload or data key names a key that is not configured (removed too early, or another installation's). */
export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`payload key ${keyId} is not configured (PAYLOAD_KEYS)`);
    this.name = 'UnknownKeyError';
  }
}

/**
 * The platform's payload keys (from configuration, a Kubernetes Secret in the chart). Rotation: a new key is added
 * and made current; the old ones stay to decrypt what they encrypted (payloads of workflows without an order, and
 * the data keys of orders created under them) until those are gone.
 */
export class Keyring {
  private readonly keys: Map<string, Uint8Array>;
  readonly currentId: string;

  constructor(config: KeyringConfig) {
    this.keys = new Map(config.keys.map(({ id, key }) => [id, key]));
    for (const [id, key] of this.keys) {
      if (key.length !== KEY_BYTES) throw new Error(`payload key ${id} must be ${KEY_BYTES} bytes`);
    }
    if (this.keys.size !== config.keys.length) throw new Error('payload key ids must be unique');
    if (!this.keys.has(config.currentId)) throw new UnknownKeyError(config.currentId);
    this.currentId = config.currentId;
  }

  /** The key named `id`; throws UnknownKeyError when it is not configured. */
  key(id: string): Uint8Array {
    const key = this.keys.get(id);
    if (!key) throw new UnknownKeyError(id);
    return key;
  }

  get current(): Uint8Array {
    return this.key(this.currentId);
  }

  /** A new data key for `orderId`, wrapped by the current key (bound to the order, so it opens for no other). */
  newOrderKey(orderId: string): { key: Buffer; stored: WrappedKey } {
    const key = newKey();
    const wrapped = seal(this.current, key, wrapAad(orderId, this.currentId)).toString('base64');
    return { key, stored: { kek: this.currentId, wrapped } };
  }

  /** Opens a stored data key of `orderId`. */
  unwrapOrderKey(orderId: string, stored: WrappedKey): Buffer {
    return open(this.key(stored.kek), Buffer.from(stored.wrapped, 'base64'), wrapAad(orderId, stored.kek));
  }
}

const wrapAad = (orderId: string, kek: string) => `esign-order-key/v1|${orderId}|${kek}`;
