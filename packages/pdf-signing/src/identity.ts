// The platform's sealing identity: its certificate and CA chain, and where its key is: a PKCS#12 file (the dev
// stack's, made by packages/devstack from the test PKI, or a production one) or a PKCS#11 token.
import { randomBytes, verify as verifySignature, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { P12Signer, type Signer } from '@libpdf/core';
import { derToPem, pemBundleToDer, subjectOf } from './certs.js';
import { makeThrowawayDevIdentity } from './dev-identity.js';
import { openTokenKey, type Pkcs11KeyRef } from './pkcs11.js';

export type SigningKey = { kind: 'pkcs12'; p12: Buffer; password: string } | ({ kind: 'pkcs11' } & Pkcs11KeyRef);

export interface SigningIdentity {
  key: SigningKey;
  /** The signing certificate. */
  certPem: string;
  /** CA certificates embedded in every signature (PEM bundle; may be empty for a P12 without a CA file). */
  caPem: string;
  /** The signing certificate's subject, e.g. "C=NO, O=…, CN=esign dev seal". */
  subject: string;
}

export type SigningIdentityOptions =
  | { dataDir: string }
  | { p12File: string; password: string; caFile?: string }
  | { pkcs11: Pkcs11KeyRef; caFile?: string };

/** Where the dev identity lives below `dataDir` (written by packages/devstack from the test PKI). */
export const DEV_SIGNING_DIR = 'signing';

/**
 * Loads the identity and proves its key works (a probe signature checked against the certificate), so a broken key
 * stops a worker at start instead of at its first seal. Dev: `<dataDir>/signing/` (seal.p12, its password, ca.pem),
 * as the dev stack writes it from the test PKI; missing, a throwaway self-made one is made there (dev-identity.ts).
 * Production: a PKCS#12 file and password, or a PKCS#11 token; `caFile` the CA chain (default: the P12's own).
 */
export async function loadSigningIdentity(opts: SigningIdentityOptions): Promise<SigningIdentity> {
  if ('dataDir' in opts) {
    const dir = join(opts.dataDir, DEV_SIGNING_DIR);
    if (!existsSync(join(dir, 'seal.p12'))) await makeThrowawayDevIdentity(dir);
    const read = (name: string) => readFile(join(dir, name));
    const p12 = await read('seal.p12');
    const password = (await read('seal.p12.password')).toString('utf8').trim();
    return fromP12(p12, password, (await read('ca.pem')).toString('utf8'));
  }
  const caPem = opts.caFile === undefined ? undefined : await readFile(opts.caFile, 'utf8');
  if ('p12File' in opts) return fromP12(await readFile(opts.p12File), opts.password, caPem);
  const key = openTokenKey(opts.pkcs11);
  try {
    await assertKeyMatches(key.certificate, (data) => key.sign(data, 'SHA-256'));
  } finally {
    key.close();
  }
  const certPem = derToPem(key.certificate);
  return { key: { kind: 'pkcs11', ...opts.pkcs11 }, certPem, caPem: caPem ?? '', subject: subjectOf(certPem) };
}

async function fromP12(p12: Buffer, password: string, caPem: string | undefined): Promise<SigningIdentity> {
  const { certificate, chain } = await openP12(p12, password);
  const certPem = derToPem(certificate);
  return {
    key: { kind: 'pkcs12', p12, password },
    certPem,
    caPem: caPem ?? chain.map(derToPem).join(''),
    subject: subjectOf(certPem),
  };
}

async function assertKeyMatches(certificate: Buffer, sign: (data: Buffer) => Promise<Uint8Array>): Promise<void> {
  const probe = randomBytes(32);
  const signature = await sign(probe);
  if (!verifySignature('sha256', probe, new X509Certificate(certificate).publicKey, signature)) {
    throw new Error("the signing key does not match its certificate's public key");
  }
}

/**
 * Opens a P12 with @libpdf/core and makes sure the signing certificate is the one that matches the key (libpdf takes
 * the first certificate bag, and some tools write the CA first): a test signature is checked against each
 * certificate.
 */
async function openP12(
  p12: Buffer,
  password: string,
): Promise<{ signer: P12Signer; certificate: Buffer; chain: Buffer[] }> {
  const signer = await P12Signer.create(p12, password);
  const all = [signer.certificate, ...signer.certificateChain].map((der) => Buffer.from(der));
  const probe = randomBytes(32);
  const signature = await signer.sign(probe, 'SHA-256');
  const index = all.findIndex((der) => {
    try {
      return verifySignature('sha256', probe, new X509Certificate(der).publicKey, signature);
    } catch {
      return false;
    }
  });
  if (index < 0) throw new Error('PKCS#12: no certificate in the file matches its private key');
  const certificate = all[index]!;
  return { signer, certificate, chain: all.filter((_, i) => i !== index) };
}

const signers = new WeakMap<SigningIdentity, Promise<Signer>>();

/**
 * The @libpdf/core signer for an identity, opened once per identity object (a P12 costs a key derivation, a token a
 * login). The CMS carries the signing certificate plus the P12's chain and the identity's CA certificates.
 */
export function signerFor(identity: SigningIdentity): Promise<Signer> {
  let signer = signers.get(identity);
  if (!signer) {
    signer = openSigner(identity);
    signers.set(identity, signer);
    void signer.catch(() => signers.delete(identity));
  }
  return signer;
}

async function openSigner(identity: SigningIdentity): Promise<Signer> {
  const { key } = identity;
  const opened =
    key.kind === 'pkcs12'
      ? await openP12(key.p12, key.password)
      : { signer: openTokenKey(key), certificate: new X509Certificate(identity.certPem).raw, chain: [] as Buffer[] };
  const chain = [...opened.chain];
  for (const der of pemBundleToDer(identity.caPem)) {
    if (!der.equals(opened.certificate) && !chain.some((c) => c.equals(der))) chain.push(der);
  }
  const inner = opened.signer;
  return {
    certificate: opened.certificate,
    certificateChain: chain,
    keyType: inner.keyType,
    signatureAlgorithm: inner.signatureAlgorithm,
    sign: (data, algorithm) => inner.sign(data, algorithm),
  };
}
