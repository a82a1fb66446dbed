// A seal key in any PKCS#11 token (an HSM, a cloud KMS's PKCS#11 library, SoftHSM2 in tests): the token signs, the
// private key never leaves it. The token is found by its label, the key by its CKA_LABEL, and the certificate by the
// same label. pkcs11js (a native addon) is loaded only when a token is configured.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { DigestAlgorithm, KeyType, SignatureAlgorithm } from '@libpdf/core';
import type * as Pkcs11 from 'pkcs11js';

export interface Pkcs11KeyRef {
  /** Path of the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so). */
  module: string;
  tokenLabel: string;
  keyLabel: string;
  pin: string;
}

export interface TokenKey {
  /** The DER certificate stored in the token under the key's label. */
  certificate: Buffer;
  keyType: KeyType;
  signatureAlgorithm: SignatureAlgorithm;
  sign(data: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array>;
  close(): void;
}

type Lib = typeof Pkcs11;
const load = (): Lib => createRequire(import.meta.url)('pkcs11js') as Lib;

/** Opens a logged-in session on the token and finds the key and its certificate; fails naming what is missing. */
export function openTokenKey(ref: Pkcs11KeyRef): TokenKey {
  const lib = load();
  const p11 = new lib.PKCS11();
  p11.load(ref.module);
  try {
    p11.C_Initialize();
  } catch (err) {
    // Another identity in this process opened the same module already.
    if ((err as { code?: number }).code !== lib.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw err;
  }
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === ref.tokenLabel);
  if (!slot) throw new Error(`PKCS#11: no token labelled "${ref.tokenLabel}" in ${ref.module}`);
  const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION);
  try {
    p11.C_Login(session, lib.CKU_USER, ref.pin);
  } catch (err) {
    // The login is the application's, shared by its sessions: another open session has logged in already.
    if ((err as { code?: number }).code !== lib.CKR_USER_ALREADY_LOGGED_IN) throw err;
  }
  const find = (cls: number): Buffer | null => {
    p11.C_FindObjectsInit(session, [
      { type: lib.CKA_CLASS, value: cls },
      { type: lib.CKA_LABEL, value: ref.keyLabel },
    ]);
    const [handle] = p11.C_FindObjects(session, 1);
    p11.C_FindObjectsFinal(session);
    return handle ?? null;
  };
  const key = find(lib.CKO_PRIVATE_KEY);
  if (!key) throw new Error(`PKCS#11: no private key labelled "${ref.keyLabel}" in token "${ref.tokenLabel}"`);
  const certHandle = find(lib.CKO_CERTIFICATE);
  if (!certHandle) throw new Error(`PKCS#11: no certificate labelled "${ref.keyLabel}" in token "${ref.tokenLabel}"`);
  const [certValue] = p11.C_GetAttributeValue(session, certHandle, [{ type: lib.CKA_VALUE }]);
  const [keyTypeValue] = p11.C_GetAttributeValue(session, key, [{ type: lib.CKA_KEY_TYPE }]);
  const isEc = Number((keyTypeValue!.value as Buffer).readBigUInt64LE(0)) === lib.CKK_EC; // a CK_ULONG
  const rsa: Record<DigestAlgorithm, number> = {
    'SHA-256': lib.CKM_SHA256_RSA_PKCS,
    'SHA-384': lib.CKM_SHA384_RSA_PKCS,
    'SHA-512': lib.CKM_SHA512_RSA_PKCS,
  };
  return {
    certificate: certValue!.value as Buffer,
    keyType: isEc ? 'EC' : 'RSA',
    signatureAlgorithm: isEc ? 'ECDSA' : 'RSASSA-PKCS1-v1_5',
    // Synchronous calls on one session: JavaScript never interleaves two of them.
    // ECDSA: the digest is made here and the token signs it (CKM_ECDSA), as every token supports; the combined
    // CKM_ECDSA_SHA256 etc. are optional and SoftHSM2, among others, has none.
    sign(data, algorithm) {
      if (isEc) {
        p11.C_SignInit(session, { mechanism: lib.CKM_ECDSA }, key);
        const digest = createHash(algorithm.replace('-', '').toLowerCase()).update(data).digest();
        return Promise.resolve(ecdsaDer(p11.C_Sign(session, digest, Buffer.alloc(256))));
      }
      p11.C_SignInit(session, { mechanism: rsa[algorithm] }, key);
      return Promise.resolve(new Uint8Array(p11.C_Sign(session, Buffer.from(data), Buffer.alloc(1024))));
    },
    close() {
      p11.C_CloseSession(session);
    },
  };
}

/** PKCS#11 gives ECDSA signatures as r‖s; CMS wants DER SEQUENCE { INTEGER r, INTEGER s }. */
function ecdsaDer(raw: Buffer): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Buffer) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.subarray(i);
    const body = trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const seq = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  const length = seq.length < 0x80 ? Buffer.from([seq.length]) : Buffer.from([0x81, seq.length]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30]), length, seq]));
}
