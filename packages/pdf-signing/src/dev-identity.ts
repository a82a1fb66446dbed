// A throwaway self-made dev identity (a CA and a seal certificate, no revocation sources) for a worker started
// without a key and outside the dev stack, e.g. the Helm chart's demo: enough for PAdES B-B and B-T. The dev stack
// and the tests use the certomancer test PKI instead (packages/devstack), which writes the same files first.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

interface KeyAndCert {
  keyPem: string;
  certPem: string;
}

const DAY_MS = 864e5;

function newRsaKey(bits = 2048): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

function publicOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

function names(commonName: string, organization: string): forge.pki.CertificateField[] {
  return [
    { name: 'organizationName', value: organization },
    { name: 'commonName', value: commonName },
  ];
}

function baseCertificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial (leading 0x01..0x7f), 16 random bytes.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 5 * 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS);
  return cert;
}

/** A root CA: basicConstraints CA (critical), keyUsage keyCertSign + cRLSign (critical). */
function createCa(commonName: string, organization = 'esign', days = 20 * 365): KeyAndCert {
  const key = newRsaKey();
  const cert = baseCertificate(publicOf(key), days);
  cert.setSubject(names(commonName, organization));
  cert.setIssuer(names(commonName, organization));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(key), certPem: forge.pki.certificateToPem(cert) };
}

/** A seal certificate issued by `ca`: keyUsage digitalSignature + nonRepudiation, extKeyUsage emailProtection. */
function issueCertificate(ca: KeyAndCert, commonName: string, organization = 'esign', days = 10 * 365): KeyAndCert {
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const key = newRsaKey();
  const cert = baseCertificate(publicOf(key), days);
  cert.setSubject(names(commonName, organization));
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(key), certPem: forge.pki.certificateToPem(cert) };
}

/** PKCS#12 with the key and the certificate chain; 3DES (PBE-SHA1-3DES), which forge and @libpdf/core both read. */
function toPkcs12(leaf: KeyAndCert, chainPems: string[], password: string): Buffer {
  const key = forge.pki.privateKeyFromPem(leaf.keyPem);
  const certs = [leaf.certPem, ...chainPems].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName: 'esign-seal' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * Writes `<dir>/` (seal.p12, seal.p12.password, ca.pem, seal.pem; secrets mode 0600) unless it exists. Made in a
 * private temp dir and renamed into place, so a concurrent first start (two services on one data dir) never sees
 * half an identity: the loser of the rename race drops its own.
 */
export async function makeThrowawayDevIdentity(dir: string): Promise<void> {
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.signing-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { mode: 0o700 });
  try {
    const ca = createCa('esign dev CA', 'esign (development)');
    const leaf = issueCertificate(ca, 'esign dev seal', 'esign (development)');
    const password = randomBytes(18).toString('base64url');
    const secret = { mode: 0o600 } as const;
    await writeFile(join(tmp, 'ca.pem'), ca.certPem);
    await writeFile(join(tmp, 'seal.p12'), toPkcs12(leaf, [ca.certPem], password), secret);
    await writeFile(join(tmp, 'seal.p12.password'), password, secret);
    await writeFile(join(tmp, 'seal.pem'), leaf.certPem);
    await rename(tmp, dir).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
