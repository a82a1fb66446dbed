import { randomBytes } from 'node:crypto';

/** An opaque, unguessable id: 128 random bits, base64url (22 characters). Not for workflow code. */
export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A new order id: 128 random bits or more, base64url without `-`, so no workflow id of the order can be split
 * anywhere but after it (`ids.orderOf`). Redrawn rather than mapped, so every id keeps its full randomness.
 */
export function newOrderId(): string {
  for (;;) {
    const id = newId();
    if (!id.includes('-')) return id;
  }
}
