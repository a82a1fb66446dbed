// The PAdES baseline level each signature of a PDF reaches, read from its structure (for tests, the benchmark and
// support): a signature timestamp (B-T), revocation data in the DSS (B-LT), a later document timestamp (B-LTA).
import { PDF, type PdfRef } from '@libpdf/core';
import type { PadesLevel } from './seal.js';
import { signedFields, timestampTokens } from './archival.js';

/** How many certificates, OCSP responses and CRLs the PDF's Document Security Store holds. */
export async function dssContents(pdf: Buffer): Promise<{ certs: number; ocsps: number; crls: number }> {
  const doc = await PDF.load(pdf);
  const resolve = (ref: PdfRef) => doc.context.registry.resolve(ref);
  const dss = doc.getCatalog().getDict('DSS', resolve);
  const count = (key: string) => dss?.getArray(key, resolve)?.length ?? 0;
  return { certs: count('Certs'), ocsps: count('OCSPs'), crls: count('CRLs') };
}

/** One level per signature (document timestamps are not signatures), in field order. */
export async function padesLevels(pdf: Buffer): Promise<PadesLevel[]> {
  const fields = await signedFields(pdf);
  const { ocsps, crls } = await dssContents(pdf);
  const revocationData = ocsps + crls > 0;
  const docTimestamps = fields.filter((f) => f.kind === 'document-timestamp');
  return fields
    .filter((f) => f.kind === 'signature')
    .map((sig): PadesLevel => {
      if (timestampTokens(sig).length === 0) return 'B-B';
      if (!revocationData) return 'B-T';
      return docTimestamps.some((ts) => ts.coveredTo > sig.coveredTo) ? 'B-LTA' : 'B-LT';
    });
}
