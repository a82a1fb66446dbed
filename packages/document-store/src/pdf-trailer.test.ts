import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { checkPdfTrailer } from './pdf-trailer.js';

async function samplePdf(useObjectStreams: boolean): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Hello');
  return Buffer.from(await doc.save({ useObjectStreams }));
}

const check = (pdf: Buffer, tailBytes = 2048) =>
  checkPdfTrailer(pdf.subarray(-tailBytes), pdf.length, async (o, l) => pdf.subarray(o, o + l));

describe('checkPdfTrailer', () => {
  it('accepts PDFs with a classic xref table and with an xref stream', async () => {
    expect(await check(await samplePdf(false))).toBe(true);
    expect(await check(await samplePdf(true))).toBe(true);
  });

  it('finds the xref in the tail it already has, or reads it from the file', async () => {
    const pdf = await samplePdf(false);
    let reads = 0;
    const readAt = async (o: number, l: number) => {
      reads++;
      return pdf.subarray(o, o + l);
    };
    expect(await checkPdfTrailer(pdf, pdf.length, readAt)).toBe(true);
    expect(reads).toBe(0);
    expect(await checkPdfTrailer(pdf.subarray(-40), pdf.length, readAt)).toBe(true);
    expect(reads).toBe(1);
  });

  it('rejects a startxref pointing at the wrong place, outside the file, or missing', async () => {
    const pdf = await samplePdf(false);
    const text = pdf.toString('latin1');
    const shifted = Buffer.from(
      text.replace(/startxref\s+(\d+)/, (_m, n: string) => `startxref\n${Number(n) - 7}`),
      'latin1',
    );
    expect(await check(shifted)).toBe(false);
    const outside = Buffer.from(text.replace(/startxref\s+(\d+)/, 'startxref\n99999999'), 'latin1');
    expect(await check(outside)).toBe(false);
    expect(await check(Buffer.from(text.replace('startxref', 'startxyz'), 'latin1'))).toBe(false);
    expect(await check(Buffer.from(text.replace(/%%EOF\s*$/, ''), 'latin1'))).toBe(false);
  });

  it('rejects a truncated PDF', async () => {
    const pdf = await samplePdf(false);
    expect(await check(pdf.subarray(0, Math.floor(pdf.length / 2)))).toBe(false);
  });
});
