import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { NONCE_SCHEME, newSalt, sha256Hex, statementNonce, type StatementProof } from './nonce.js';
import { verifyStatement } from './verify.js';

const ISSUER = 'https://eid.example';

/** A provider's ID token whose nonce binds `documents` and `statement`, and the proof a result would carry. */
async function signedStatement(documents: Buffer[], statement?: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const salt = newSalt();
  const digests = [...documents.map((d) => sha256Hex(d)), ...(statement !== undefined ? [sha256Hex(statement)] : [])];
  // Issued a year ago and expired long since: an old result still verifies, at the token's own time.
  const iat = Math.floor(Date.now() / 1000) - 365 * 86_400;
  const token = await new SignJWT({ nonce: statementNonce(salt, digests), name: 'Kari Nordmann' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setSubject('kari')
    .setAudience('esign-portal')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(privateKey);
  const proof: StatementProof = { scheme: NONCE_SCHEME, salt, digests, issuer: ISSUER, jwks: { keys: [jwk] } };
  return { token, proof };
}

describe('verifyStatement', () => {
  const documents = [Buffer.from('%PDF-1.7 contract'), Buffer.from('%PDF-1.7 annex')];
  const statement = 'I agree to the contract and its annex.';

  it('accepts the documents and statement the token’s nonce binds, with the keys of the moment', async () => {
    const signed = await signedStatement(documents, statement);
    expect(await verifyStatement({ ...signed, documents, statement })).toEqual({
      ok: true,
      subject: 'kari',
      issuer: ISSUER,
    });
  });

  it('refuses one byte of a document changed, the statement changed, or documents in another order', async () => {
    const signed = await signedStatement(documents, statement);
    const changed = Buffer.from(documents[0]!);
    changed[3] = changed[3]! ^ 1;
    for (const input of [
      { documents: [changed, documents[1]!], statement },
      { documents, statement: `${statement} ` },
      { documents: [documents[1]!, documents[0]!], statement },
      { documents },
    ]) {
      expect(await verifyStatement({ ...signed, ...input })).toMatchObject({ ok: false });
    }
  });

  it('refuses a token changed, signed by another key, or a proof whose digests were rewritten to match', async () => {
    const signed = await signedStatement(documents, statement);
    const [head, body, sig] = signed.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')}.${sig}`;
    expect(await verifyStatement({ ...signed, token: forged, documents, statement })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not verify/),
    });
    const other = await signedStatement(documents, statement);
    expect(await verifyStatement({ token: other.token, proof: signed.proof, documents, statement })).toMatchObject({
      ok: false,
    });
    // Someone rewrites the proof's digests for other documents: the nonce (inside the signed token) gives them away.
    const others = [Buffer.from('%PDF-1.7 something else')];
    const rewritten = { ...signed.proof, digests: [sha256Hex(others[0]!), sha256Hex(statement)] };
    expect(await verifyStatement({ token: signed.token, proof: rewritten, documents: others, statement })).toEqual({
      ok: false,
      reason: 'the ID token’s nonce does not bind these documents',
    });
  });
});
