import { randomBytes } from 'node:crypto';

/** An opaque, unguessable id: 128 random bits, base64url (22 characters). Not for workflow code. */
export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
