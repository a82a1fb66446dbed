import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';

const SIGNING_ALGS = ['RS256', 'PS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

const privateJwkSchema = z.looseObject({
  kty: z.enum(['RSA', 'EC']),
  kid: z.string().min(1),
  alg: z.enum(SIGNING_ALGS),
  use: z.literal('sig').optional(),
  d: z.string().min(1, 'must be a private key (d missing)'),
});
export type PrivateJwk = z.infer<typeof privateJwkSchema>;

// A JWK Set (RFC 7517 allows extra members) plus the keys that sign the provider's cookies.
const keysFileSchema = z.looseObject({
  keys: z
    .array(privateJwkSchema)
    .min(1)
    .refine((ks) => new Set(ks.map((k) => k.kid)).size === ks.length, 'kid values must be unique'),
  cookieKeys: z.array(z.string().min(32)).min(1).optional(),
});

/** The provider's keys: the first JWK signs tokens, the rest are only published (rotation). */
export interface IdentityKeys {
  jwks: { keys: PrivateJwk[] };
  cookieKeys: string[];
  /** True when this start generated the file. */
  created: boolean;
}

export async function generateSigningKey(alg: SigningAlg = 'RS256'): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return privateJwkSchema.parse({ ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' });
}

export const generateCookieKey = () => randomBytes(32).toString('base64url');

/** Thrown at start when the keys file cannot be read or is invalid. */
export class KeysFileError extends Error {
  constructor(file: string, problem: string) {
    super(`Invalid keys file ${file}: ${problem}`);
    this.name = 'KeysFileError';
  }
}

export function readKeysFile(file: string): IdentityKeys {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KeysFileError(file, (err as Error).message);
  }
  const parsed = keysFileSchema.safeParse(content);
  if (!parsed.success) {
    throw new KeysFileError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  // Cookies only carry interaction state, which a client-credentials-only provider never creates: a file without
  // cookie keys (e.g. a JWKS from a secret store) gets fresh ones per process instead of failing.
  const cookieKeys = parsed.data.cookieKeys ?? [generateCookieKey()];
  return { jwks: { keys: parsed.data.keys }, cookieKeys, created: false };
}

/** Writes the whole file atomically (temp file + rename), readable by the owner only. */
export function writeKeysFile(file: string, keys: Pick<IdentityKeys, 'jwks' | 'cookieKeys'>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serialise(keys), { mode: 0o600 });
  renameSync(tmp, file);
}

const serialise = ({ jwks, cookieKeys }: Pick<IdentityKeys, 'jwks' | 'cookieKeys'>) =>
  `${JSON.stringify({ keys: jwks.keys, cookieKeys }, null, 2)}\n`;

/**
 * Reuses the keys file, or on first start generates one RS256 key and a cookie key into it (mode 0600). The new file
 * appears atomically and only once: link() fails when another process created it first, and then theirs is used.
 */
export async function loadOrCreateKeys(file: string): Promise<IdentityKeys> {
  if (existsSync(file)) return readKeysFile(file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const keys = { jwks: { keys: [await generateSigningKey()] }, cookieKeys: [generateCookieKey()] };
  const tmp = `${file}.${process.pid}.new`;
  writeFileSync(tmp, serialise(keys), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKeysFile(file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { ...keys, created: true };
}
