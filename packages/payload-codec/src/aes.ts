import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM from Node's crypto (OpenSSL): a fresh random 96-bit IV per message, a 128-bit tag, and associated data
// that binds each ciphertext to what it claims to be (its key id, its order), so a ciphertext moved under another
// label fails to open. Random IVs are safe far beyond our volumes (NIST SP 800-38D: 2^32 messages per key).

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** Encrypts `plaintext`; the result is IV ‖ tag ‖ ciphertext. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Decrypts what `seal` made with the same key and associated data; throws if anything was changed. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** A new random 256-bit key (an order's data key). */
export const newKey = (): Buffer => randomBytes(KEY_BYTES);
