// What the revocation checks read from a certificate: where its OCSP responder and CRLs are, whether it is a CA or
// a TSA, and a readable name for messages.
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const OID = {
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  crlDistributionPoints: '2.5.29.31',
  extKeyUsage: '2.5.29.37',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;
const URI = 6; // GeneralName uniformResourceIdentifier

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  const asn1 = asn1js.fromBER(new Uint8Array(der).buffer);
  if (asn1.offset === -1) throw new Error('not a DER certificate');
  return new pkijs.Certificate({ schema: asn1.result });
}

function extension(cert: pkijs.Certificate, oid: string): unknown {
  return cert.extensions?.find((e) => e.extnID === oid)?.parsedValue;
}

const httpUris = (names: pkijs.GeneralName[] | undefined): string[] =>
  (names ?? [])
    .filter((n) => n.type === URI && typeof n.value === 'string' && /^https?:\/\//.test(n.value))
    .map((n) => n.value as string);

/** The OCSP responder URLs of the certificate's Authority Information Access. */
export function ocspUrls(cert: pkijs.Certificate): string[] {
  const aia = extension(cert, OID.authorityInfoAccess) as pkijs.InfoAccess | undefined;
  return httpUris(aia?.accessDescriptions.filter((d) => d.accessMethod === OID.ocsp).map((d) => d.accessLocation));
}

/** The HTTP(S) URLs of the certificate's CRL distribution points. */
export function crlUrls(cert: pkijs.Certificate): string[] {
  const cdp = extension(cert, OID.crlDistributionPoints) as pkijs.CRLDistributionPoints | undefined;
  return (cdp?.distributionPoints ?? []).flatMap((dp) =>
    Array.isArray(dp.distributionPoint) ? httpUris(dp.distributionPoint) : [],
  );
}

/** True for a CA certificate or a time-stamping authority's: the certificates a timestamp's validity rests on. */
export function isCaOrTsa(der: Uint8Array): boolean {
  const cert = parseCertificate(der);
  const eku = extension(cert, OID.extKeyUsage) as pkijs.ExtKeyUsage | undefined;
  return new X509Certificate(der).ca || (eku?.keyPurposes.includes(OID.timeStamping) ?? false);
}

/** "CN=…" of the certificate's subject, for messages. */
export function subjectName(der: Uint8Array): string {
  return new X509Certificate(der).subject.split('\n').join(', ');
}

/** The latest moment the certificate (and so anything it signed) can still be validated without other evidence. */
export function notAfter(der: Uint8Array): Date {
  return new Date(new X509Certificate(der).validTo);
}
