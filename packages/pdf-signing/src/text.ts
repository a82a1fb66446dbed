// Plain UTF-8 text → an A4 PDF (DejaVu Sans, subset-embedded), wrapped to the page width and paginated.
import { dejavuFont } from '@esign/pdf-forms';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const SIZE = 11;
const LEADING = 15;
const TITLE_SIZE = 16;
const FOOTER_SIZE = 8;

/** Renders UTF-8 text (any script DejaVu covers: Latin incl. æøå, Greek, Cyrillic) to an A4 PDF with wrapping and
 *  pagination. Characters the font lacks render as its .notdef box. */
export async function textToPdf(text: string, opts: { title?: string } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await dejavuFont('DejaVuSans.ttf'), { subset: true });
  const bold = opts.title ? await doc.embedFont(await dejavuFont('DejaVuSans-Bold.ttf'), { subset: true }) : font;
  if (opts.title) doc.setTitle(opts.title);
  doc.setCreator('esign');
  doc.setProducer('esign');

  const width = A4[0] - 2 * MARGIN;
  let page = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const newLine = (height: number) => {
    if (y - height < MARGIN + 2 * FOOTER_SIZE) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
    y -= height;
  };

  if (opts.title) {
    for (const line of wrap(clean(opts.title), bold, TITLE_SIZE, width)) {
      newLine(TITLE_SIZE * 1.35);
      page.drawText(line, { x: MARGIN, y, size: TITLE_SIZE, font: bold });
    }
    y -= LEADING;
  }
  for (const line of wrap(clean(text), font, SIZE, width)) {
    newLine(LEADING);
    if (line) page.drawText(line, { x: MARGIN, y, size: SIZE, font });
  }

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const label = `${i + 1} / ${pages.length}`;
    const w = font.widthOfTextAtSize(label, FOOTER_SIZE);
    p.drawText(label, { x: (A4[0] - w) / 2, y: MARGIN / 2, size: FOOTER_SIZE, font, color: rgb(0.4, 0.4, 0.4) });
  });
  return Buffer.from(await doc.save());
}

/** NFC, CRLF → LF, tabs → spaces, other control characters dropped (the font has no glyphs for them). */
function clean(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, '    ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\ufeff]/g, '')
  );
}

/** Greedy word wrap; words wider than a line are split between characters. Empty strings are blank lines. */
export function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const flush = () => {
      lines.push(line.trimEnd());
      line = '';
      lineWidth = 0;
    };
    for (const token of paragraph.split(/(\s+)/).filter(Boolean)) {
      const tokenWidth = width(token);
      if (lineWidth + tokenWidth <= maxWidth) {
        line += token;
        lineWidth += tokenWidth;
        continue;
      }
      if (/^\s+$/.test(token)) {
        flush();
        continue;
      }
      if (line.trim()) flush();
      else {
        line = '';
        lineWidth = 0;
      }
      if (tokenWidth <= maxWidth) {
        line = token;
        lineWidth = tokenWidth;
        continue;
      }
      for (const ch of token) {
        const w = width(ch);
        if (lineWidth + w > maxWidth && line) flush();
        line += ch;
        lineWidth += w;
      }
    }
    flush();
  }
  return lines;
}
