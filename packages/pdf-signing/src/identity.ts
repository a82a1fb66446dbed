// The platform's sealing identity: a dev CA + signing certificate made on first use and kept in the data dir, or a
// production PKCS#12 file.
import { randomBytes, verify as verifySignature, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { P12Signer, type Signer } from '@libpdf/core';
import { createCa, derToPem, issueCertificate, pemBundleToDer, subjectOf, toPkcs12 } from './certs.js';

export interface SigningIdentity {
  /** PKCS#12 with the signing key, its certificate and (dev) the CA certificate. */
  p12: Buffer;
  password: string;
  /** The signing certificate. */
  certPem: string;
  /** The trust anchor(s) validators need (PEM bundle; may be empty for a production P12 without a CA file). */
  caPem: string;
  /** The signing certificate's subject, e.g. "O=esign, CN=esign dev seal". */
  subject: string;
}

export type SigningIdentityOptions = { dataDir: string } | { p12File: string; password: string; caFile?: string };

/** Where the dev identity lives below `dataDir`, and its files. */
export const DEV_SIGNING_DIR = 'signing';
const FILES = {
  caKey: 'ca.key.pem',
  caCert: 'ca.pem',
  p12: 'seal.p12',
  password: 'seal.p12.password',
  cert: 'seal.pem',
} as const;

/**
 * Dev: creates a dev CA and a signing certificate (signed by the CA, keyUsage digitalSignature+nonRepudiation) on
 * first call in `<dataDir>/signing/` (mode 0600 for keys and the P12 password) and reuses them on later
 * calls/restarts. Production: loads a PKCS#12 file (+ password) and a CA PEM (optional; defaults to the P12's chain).
 */
export async function loadSigningIdentity(opts: SigningIdentityOptions): Promise<SigningIdentity> {
  if ('dataDir' in opts) return loadOrCreateDevIdentity(opts.dataDir);
  const p12 = await readFile(opts.p12File);
  const caPem = opts.caFile === undefined ? undefined : await readFile(opts.caFile, 'utf8');
  return identityFromP12(p12, opts.password, caPem);
}

async function identityFromP12(p12: Buffer, password: string, caPem: string | undefined): Promise<SigningIdentity> {
  const { certificate, chain } = await openP12(p12, password);
  const certPem = derToPem(certificate);
  return {
    p12,
    password,
    certPem,
    caPem: caPem ?? chain.map(derToPem).join(''),
    subject: subjectOf(certPem),
  };
}

async function loadOrCreateDevIdentity(dataDir: string): Promise<SigningIdentity> {
  const dir = join(dataDir, DEV_SIGNING_DIR);
  const existing = await readDevIdentity(dir);
  if (existing) return existing;

  // Made in a private temp dir and renamed into place, so a concurrent first start (two services on one data dir)
  // never sees half an identity: the loser of the rename race drops its own and reads the winner's.
  await mkdir(dataDir, { recursive: true });
  const tmp = join(dataDir, `.${DEV_SIGNING_DIR}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { mode: 0o700 });
  try {
    const ca = createCa('esign dev CA', 'esign (development)');
    const leaf = issueCertificate(ca, 'signing', 'esign dev seal', 'esign (development)');
    const password = randomBytes(18).toString('base64url');
    const secret = { mode: 0o600 } as const;
    await writeFile(join(tmp, FILES.caKey), ca.keyPem, secret);
    await writeFile(join(tmp, FILES.caCert), ca.certPem);
    await writeFile(join(tmp, FILES.p12), toPkcs12(leaf, [ca.certPem], password), secret);
    await writeFile(join(tmp, FILES.password), password, secret);
    await writeFile(join(tmp, FILES.cert), leaf.certPem);
    try {
      await rename(tmp, dir);
    } catch (err) {
      if (!isCode(err, 'ENOTEMPTY') && !isCode(err, 'EEXIST')) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const made = await readDevIdentity(dir);
  if (!made) throw new Error(`dev signing identity in ${dir} is incomplete: remove the folder to make a new one`);
  return made;
}

async function readDevIdentity(dir: string): Promise<SigningIdentity | undefined> {
  let p12: Buffer;
  try {
    p12 = await readFile(join(dir, FILES.p12));
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
  await chmod(dir, 0o700);
  const password = (await readFile(join(dir, FILES.password), 'utf8')).trim();
  const caPem = await readFile(join(dir, FILES.caCert), 'utf8');
  return identityFromP12(p12, password, caPem);
}

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
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
 * The @libpdf/core signer for an identity (cached per identity object: opening a P12 costs a key derivation). The
 * CMS carries the signing certificate plus the P12's chain and the identity's CA certificates.
 */
export function signerFor(identity: SigningIdentity): Promise<Signer> {
  let signer = signers.get(identity);
  if (!signer) {
    signer = (async (): Promise<Signer> => {
      const opened = await openP12(identity.p12, identity.password);
      const chain = [...opened.chain];
      for (const der of pemBundleToDer(identity.caPem)) {
        if (!der.equals(opened.certificate) && !chain.some((c) => c.equals(der))) chain.push(der);
      }
      const p12Signer = opened.signer;
      return {
        certificate: opened.certificate,
        certificateChain: chain,
        keyType: p12Signer.keyType,
        signatureAlgorithm: p12Signer.signatureAlgorithm,
        sign: (data, algorithm) => p12Signer.sign(data, algorithm),
      };
    })();
    signers.set(identity, signer);
    void signer.catch(() => signers.delete(identity));
  }
  return signer;
}
