import { describe, expect, it } from 'vitest';
import { textToPdf } from './text.js';
import { onPdf, pageCount } from './test-fixtures.js';

const pdftotext = (pdf: Buffer) => onPdf(pdf, 'pdftotext', (f) => ['-enc', 'UTF-8', f, '-']);

describe('textToPdf', { timeout: 20_000 }, () => {
  it('renders Norwegian, Greek and Cyrillic text that pdftotext reads back', async () => {
    const text = 'Kjøpsavtale for båt: ÆØÅ æøå.\nΚαλημέρα κόσμε.\nДоговор купли-продажи, подпись: Иван Петров.';
    const pdf = await textToPdf(text, { title: 'Avtale – Договор' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const extracted = await pdftotext(pdf);
    expect(extracted).toContain('Avtale – Договор');
    for (const line of text.split('\n')) expect(extracted).toContain(line);
    const info = await onPdf(pdf, 'pdfinfo', (f) => ['-enc', 'UTF-8', f]);
    expect(info).toMatch(/^Title:\s+Avtale – Договор$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    const fonts = await onPdf(pdf, 'pdffonts', (f) => [f]);
    expect(fonts).toMatch(/DejaVuSans/);
  });

  it('wraps long lines inside the margins and paginates long text', async () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';
    const long = `${paragraph.repeat(300)}\nslutt\n${'X'.repeat(400)}`;
    const pdf = await textToPdf(long);
    expect(await pageCount(pdf)).toBeGreaterThanOrEqual(4);
    const bbox = await onPdf(pdf, 'pdftotext', (f) => ['-bbox', f, '-']);
    const xMax = Math.max(...[...bbox.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(xMax).toBeLessThanOrEqual(595.28 - 56 + 0.5);
    const extracted = await pdftotext(pdf);
    expect(extracted).toContain('slutt');
    // The 400-character word is split across lines, nothing lost.
    expect(extracted.replace(/\s+/g, '')).toContain('X'.repeat(400));
    expect(extracted).toMatch(/^\d+ ?\/ ?\d+$/m); // the page footer
  });

  it('renders empty text as one blank page', async () => {
    const pdf = await textToPdf('');
    expect(await pageCount(pdf)).toBe(1);
  });
});
