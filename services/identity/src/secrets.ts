import { randomBytes, scrypt, timingSafeEqual, createHash, type BinaryLike, type ScryptOptions } from 'node:crypto';

// scrypt with Node's default cost (N=2^14, r=8, p=1): about 50 ms per check, fixed so the stored form stays short.
const SCRYPT_OPTIONS: ScryptOptions = { N: 16384, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const B64 = '[A-Za-z0-9+/]+={0,2}';

// The stored form of a hashed client secret: `scrypt:<salt base64>:<hash base64>`.
const SECRET_HASH_PATTERN = new RegExp(`^scrypt:${B64}:${B64}$`);

/** How a client's secret is checked: the plain secret, or its scrypt hash. */
export type SecretVerifier = { kind: 'plain'; secret: string } | { kind: 'scrypt'; salt: Buffer; hash: Buffer };

function scryptAsync(secret: BinaryLike, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, SCRYPT_OPTIONS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a secret for the clients file. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(secret, salt, HASH_BYTES);
  return `scrypt:${salt.toString('base64')}:${hash.toString('base64')}`;
}

/** Parses the `scrypt:<salt>:<hash>` form; throws when it is not one. */
export function parseSecretHash(stored: string): SecretVerifier {
  if (!SECRET_HASH_PATTERN.test(stored))
    throw new Error('secret hash must look like scrypt:<salt base64>:<hash base64>');
  const [salt, hash] = stored
    .split(':')
    .slice(1)
    .map((part) => Buffer.from(part, 'base64')) as [Buffer, Buffer];
  if (salt.length < 8 || hash.length < 16)
    throw new Error('secret hash needs a salt of 8+ bytes and a hash of 16+ bytes');
  return { kind: 'scrypt', salt, hash };
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time check of a presented secret (plain secrets are compared by digest, so length does not leak). */
export async function verifySecret(verifier: SecretVerifier, presented: string): Promise<boolean> {
  if (verifier.kind === 'plain') return timingSafeEqual(sha256(verifier.secret), sha256(presented));
  const actual = await scryptAsync(presented, verifier.salt, verifier.hash.length);
  return timingSafeEqual(actual, verifier.hash);
}
