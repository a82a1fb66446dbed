// Keeping an archived B-LTA document verifiable (ETSI EN 319 142-1, §5.5): before the certificate of its newest
// timestamp expires, validation data for that timestamp goes into the DSS and a new document timestamp covers it all.
import { PDF, PdfNumber } from '@libpdf/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { StrictRevocationProvider } from './revocation.js';
import { timestampAuthority } from './timestamp.js';
import { isCaOrTsa, notAfter } from './x509.js';

const TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

export interface SignedField {
  kind: 'signature' | 'document-timestamp';
  /** The CMS of the signature or the timestamp token, DER (followed by the /Contents zero padding). */
  cms: Uint8Array;
  /** Where the signed bytes end: a field that ends later covers this one. */
  coveredTo: number;
}

/** The signed fields of a PDF in field order: signatures and document timestamps. */
export async function signedFields(pdf: Buffer): Promise<SignedField[]> {
  const doc = await PDF.load(pdf);
  return (doc.getForm()?.getSignatureFields() ?? []).flatMap((field): SignedField[] => {
    const dict = field.getSignatureDict();
    const contents = dict?.getString('Contents')?.bytes;
    if (!dict || !contents) return [];
    const kind = dict.getName('Type')?.value === 'DocTimeStamp' ? 'document-timestamp' : 'signature';
    const range = (dict.getArray('ByteRange')?.toArray() ?? []).map((n) => (n instanceof PdfNumber ? n.value : 0));
    return [{ kind, cms: contents, coveredTo: (range[2] ?? 0) + (range[3] ?? 0) }];
  });
}

function signedData(cms: Uint8Array): pkijs.SignedData {
  const parsed = asn1js.fromBER(new Uint8Array(cms).buffer);
  return new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: parsed.result }).content });
}

/** The timestamp tokens a field carries: itself for a document timestamp, its signature timestamp otherwise. */
export function timestampTokens(field: SignedField): pkijs.SignedData[] {
  if (field.kind === 'document-timestamp') return [signedData(field.cms)];
  const attrs = signedData(field.cms).signerInfos[0]?.unsignedAttrs?.attributes ?? [];
  return attrs
    .filter((a) => a.type === TIMESTAMP_TOKEN)
    .map((a) => new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: a.values[0] }).content }));
}

/**
 * When the evidence of a sealed PDF stops being verifiable: the earliest expiry among the certificates carried by its
 * newest timestamps (the last document timestamp, or without one the signature timestamps). Null when it has no
 * timestamp at all (B-B): there is nothing to renew.
 */
export async function timestampExpiry(pdf: Buffer): Promise<Date | null> {
  const fields = await signedFields(pdf);
  const lastDocTs = fields.filter((f) => f.kind === 'document-timestamp').at(-1);
  const tokens = (lastDocTs ? [lastDocTs] : fields).flatMap(timestampTokens);
  const expiries = tokens.flatMap((t) =>
    (t.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => notAfter(new Uint8Array(c.toSchema().toBER(false)))),
  );
  return expiries.length ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : null;
}

/**
 * Appends a DSS revision with current validation data for every signature and timestamp in the PDF, then a new
 * document timestamp from `tsaUrl` with its own DSS revision: an incremental update, so the earlier bytes stay as
 * they were. Revocation data is required for the CAs and TSAs (the timestamps' chains); for the signers' own
 * certificates it is added when it can be had (theirs from signing time is in the DSS already).
 */
export async function renewArchivalTimestamp(input: { pdf: Buffer; tsaUrl: string }): Promise<Buffer> {
  const doc = await PDF.load(input.pdf);
  const revocationProvider = new StrictRevocationProvider({ required: isCaOrTsa });
  const { bytes } = await doc.addArchivalData({
    timestampAuthority: timestampAuthority(input.tsaUrl),
    revocationProvider,
  });
  revocationProvider.assertComplete();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
