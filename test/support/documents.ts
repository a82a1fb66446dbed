import { createHash, randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { api, type MerchantName } from './merchants.js';

/** A real PDF with some pages of text and a binary stream of random bytes (so a round trip must be binary-safe). */
export async function makePdf(pages = 1, binaryBytes = 4096): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage().drawText(`Agreement page ${i + 1}`, { x: 50, y: 700, font, size: 18 });
  // Random bytes: pdf-lib compresses attachments, so anything regular would shrink to nothing.
  await doc.attach(randomBytes(binaryBytes), 'payload.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function upload(
  merchant: MerchantName,
  body: Buffer | string,
  contentType: string,
  origin?: string,
): Promise<Response> {
  return api(merchant, '/documents', { method: 'POST', headers: { 'content-type': contentType }, body }, origin);
}

/** Uploads and returns the new id, failing the test unless the answer is 201. */
export async function uploadOk(merchant: MerchantName, body: Buffer | string, contentType: string): Promise<string> {
  const res = await upload(merchant, body, contentType);
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { documentId: string }).documentId;
}

/** A one-page PDF with an AcroForm: text fields `fullName` and `address.city`, check box `accept`. */
export async function makeFormPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  const form = doc.getForm();
  form.createTextField('fullName').addToPage(page, { x: 50, y: 700, width: 300, height: 24 });
  form.createTextField('address.city').addToPage(page, { x: 50, y: 650, width: 300, height: 24 });
  form.createCheckBox('accept').addToPage(page, { x: 50, y: 600, width: 18, height: 18 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
