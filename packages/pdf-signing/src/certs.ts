// PEM and DER conversions of X.509 certificates (node:crypto).
import { X509Certificate } from 'node:crypto';

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
