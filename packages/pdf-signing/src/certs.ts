// Small X.509 helpers on node-forge (keys come from node:crypto, which is much faster than forge's own RSA keygen):
// a CA, certificates it issues, and PKCS#12 files that both forge and @libpdf/core read.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCert {
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
export function createCa(commonName: string, organization = 'esign', days = 20 * 365): KeyAndCert {
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

export type LeafKind = 'signing' | 'timestamping';

/**
 * A certificate issued by `ca`. `signing`: keyUsage digitalSignature + nonRepudiation (pyHanko requires the latter),
 * extKeyUsage emailProtection (what NSS checks for a signer). `timestamping`: extKeyUsage timeStamping (critical),
 * as RFC 3161 requires of a TSA.
 */
export function issueCertificate(
  ca: KeyAndCert,
  kind: LeafKind,
  commonName: string,
  organization = 'esign',
  days = 10 * 365,
): KeyAndCert {
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const key = newRsaKey();
  const cert = baseCertificate(publicOf(key), days);
  cert.setSubject(names(commonName, organization));
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    kind === 'signing'
      ? { name: 'extKeyUsage', emailProtection: true }
      : { name: 'extKeyUsage', critical: true, timeStamping: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(key), certPem: forge.pki.certificateToPem(cert) };
}

/** PKCS#12 with the key and the certificate chain; 3DES (PBE-SHA1-3DES), which forge and @libpdf/core both read. */
export function toPkcs12(leaf: KeyAndCert, chainPems: string[], password: string): Buffer {
  const key = forge.pki.privateKeyFromPem(leaf.keyPem);
  const certs = [leaf.certPem, ...chainPems].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName: 'esign-seal' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** Every certificate in a PEM bundle, as DER. */
export function pemBundleToDer(pem: string): Buffer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => Buffer.from(new X509Certificate(block).raw));
}

/** "CN=…, O=…" in the certificate's own order. */
export function subjectOf(certPem: string): string {
  return new X509Certificate(certPem).subject.split('\n').join(', ');
}
