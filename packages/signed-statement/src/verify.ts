import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { NONCE_SCHEME, sha256Hex, statementNonce, type StatementProof } from './nonce.js';

/** What a signed statement is checked against: the documents as the signer was shown them, and the statement text. */
export interface StatementInputs {
  token: string;
  proof: StatementProof;
  /** The documents' bytes, in the order they were signed. */
  documents: Uint8Array[];
  /** The statement the signer consented to (signText and signTextEntry), when the task had one. */
  statement?: string;
}

export type StatementVerdict = { ok: true; subject: string; issuer: string } | { ok: false; reason: string };

/**
 * Checks a signed statement offline: the ID token's signature against the provider's keys recorded in the proof (at
 * the token's own issue time, so an old result still verifies), its issuer, and its nonce against the salt and the
 * digests of the documents and statement given.
 */
export async function verifyStatement(input: StatementInputs): Promise<StatementVerdict> {
  const { token, proof } = input;
  if (proof.scheme !== NONCE_SCHEME) return { ok: false, reason: `unknown scheme ${String(proof.scheme)}` };
  let payload;
  try {
    const issuedAt = decodeJwt(token).iat;
    ({ payload } = await jwtVerify(token, createLocalJWKSet(proof.jwks), {
      issuer: proof.issuer,
      ...(issuedAt ? { currentDate: new Date(issuedAt * 1000) } : {}),
    }));
  } catch (err) {
    return { ok: false, reason: `the ID token does not verify: ${err instanceof Error ? err.message : String(err)}` };
  }
  const digests = [
    ...input.documents.map((d) => sha256Hex(d)),
    ...(input.statement !== undefined ? [sha256Hex(input.statement)] : []),
  ];
  if (digests.join(',') !== proof.digests.join(',')) {
    return { ok: false, reason: 'the documents or the statement differ from those the signer was shown' };
  }
  if (payload.nonce !== statementNonce(proof.salt, digests)) {
    return { ok: false, reason: 'the ID token’s nonce does not bind these documents' };
  }
  return { ok: true, subject: String(payload.sub), issuer: proof.issuer };
}
