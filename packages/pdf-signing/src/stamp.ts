// The handwritten stamp: the signer's drawing and a caption on the last page, written before the signature.
import { measureText, type EmbeddedFont, type PDF, type PDFPage } from '@libpdf/core';
import type { SealSigner } from './seal.js';

const STAMP = { width: 170, height: 56, caption: 7, gap: 10, margin: 44 } as const;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The signer's drawing, fitted into a 170×56 pt box in the bottom right of the last page, with a caption (name,
 * method, UTC time). Successive signers take the next slot: two per row, rows going up.
 */
export function stampHandwritten(doc: PDF, png: Buffer, signer: SealSigner, slot: number, font: EmbeddedFont): void {
  if (!png.subarray(0, 8).equals(PNG_MAGIC)) throw new Error('handwritten signature: not a PNG');
  const page: PDFPage | null = doc.getPage(doc.getPageCount() - 1);
  if (!page) throw new Error('handwritten signature: the PDF has no pages');
  const image = doc.embedPng(png);
  const scale = Math.min(STAMP.width / image.width, STAMP.height / image.height, 1);
  const [w, h] = [image.width * scale, image.height * scale];
  const column = slot % 2;
  const row = Math.floor(slot / 2);
  const left = page.width - STAMP.margin - (column + 1) * STAMP.width - column * STAMP.gap;
  const bottom = STAMP.margin + row * (STAMP.height + 2 * STAMP.caption + STAMP.gap);
  const captionY = bottom;
  const imageY = bottom + 2 * STAMP.caption;
  page.drawImage(image, { x: left + (STAMP.width - w) / 2, y: imageY + (STAMP.height - h) / 2, width: w, height: h });
  page.drawLine({ start: { x: left, y: imageY - 2 }, end: { x: left + STAMP.width, y: imageY - 2 }, thickness: 0.5 });
  const time = signer.time.toISOString().slice(0, 16).replace('T', ' ');
  const caption = `${signer.name} · ${signer.method} · ${time} UTC`;
  // One line: shrunk to fit the box (down to 4 pt; a longer name may then run past its left edge).
  const size = Math.max(
    4,
    Math.min(STAMP.caption, (STAMP.caption * STAMP.width) / measureText(caption, font, STAMP.caption)),
  );
  page.drawText(caption, { x: left + STAMP.width - measureText(caption, font, size), y: captionY, size, font });
}
