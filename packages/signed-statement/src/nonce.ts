import { createHash, randomBytes } from 'node:crypto';

// A SIGNED_STATEMENT by standard means: the OpenID Connect `nonce`, which every compliant provider must echo in the
// ID token it signs (OpenID Connect Core §3.1.2.1, §3.1.3.7), is derived from what the signer consents to — the
// SHA-256 digests of the documents as shown and of the statement text — and a secret salt kept with the task. The
// provider's signed ID token then binds the signer to exactly those documents; the salt keeps the digests from being
// read off the token, and the result carries it, so anyone with the documents can check the binding offline.

/** The nonce scheme's name, recorded in the proof (so a later scheme can be told apart). */
export const NONCE_SCHEME = 'esign-statement-nonce-v1';

/** A fresh salt: 128 random bits, base64url. */
export const newSalt = () => randomBytes(16).toString('base64url');

/** The nonce of a statement: base64url SHA-256 over the scheme, the salt and the digests in order. */
export function statementNonce(salt: string, digests: string[]): string {
  return createHash('sha256')
    .update(`${NONCE_SCHEME}\n${salt}\n${digests.join(',')}`)
    .digest('base64url');
}

/** Hex SHA-256 of bytes or of a UTF-8 text (the statement's digest). */
export const sha256Hex = (data: Uint8Array | string) =>
  createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');

/**
 * What the result carries beside the provider's ID token to prove the binding: the scheme, the salt, the digests in
 * the order they were bound (each document's, then the statement text's when there is one), the issuer and the
 * provider's signing keys (JWKS) at the moment of signing.
 */
export interface StatementProof {
  scheme: typeof NONCE_SCHEME;
  salt: string;
  digests: string[];
  issuer: string;
  jwks: { keys: Array<Record<string, unknown>> };
}
