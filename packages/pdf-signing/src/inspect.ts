// Reads back what a seal wrote into each signature dictionary (for tests, packaging and support).
import { PDF, PdfNumber } from '@libpdf/core';

export interface SignatureDictionary {
  fieldName: string;
  subFilter?: string;
  /** /Name: the signer */
  name?: string;
  reason?: string;
  location?: string;
  /** /ContactInfo: the identity method for seals made here */
  contactInfo?: string;
  /** /M as written, e.g. D:20260101120000Z */
  signingTime?: string;
  byteRange: number[];
}

/** The signature dictionaries of a PDF's signed signature fields, in field order; document timestamps (B-LTA) are
 *  not signatures of anyone and are left out. */
export async function readSignatureDictionaries(pdf: Buffer): Promise<SignatureDictionary[]> {
  const doc = await PDF.load(pdf);
  const out: SignatureDictionary[] = [];
  for (const field of doc.getForm()?.getSignatureFields() ?? []) {
    const sig = field.getSignatureDict();
    if (!sig || sig.getName('Type')?.value === 'DocTimeStamp') continue;
    const text = (key: string) => sig.getString(key)?.asString();
    const byteRange = (sig.getArray('ByteRange')?.toArray() ?? []).map((n) => (n instanceof PdfNumber ? n.value : NaN));
    out.push(
      withoutUndefined({
        fieldName: field.name,
        byteRange,
        subFilter: sig.getName('SubFilter')?.value,
        name: text('Name'),
        reason: text('Reason'),
        location: text('Location'),
        contactInfo: text('ContactInfo'),
        signingTime: text('M'),
      }),
    );
  }
  return out;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
