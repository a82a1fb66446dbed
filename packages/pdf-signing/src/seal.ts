// PAdES sealing with @libpdf/core: evidence attachments and handwritten stamps are written in the same incremental
// revision as the signature (so it covers them), and every seal is an incremental update (earlier signatures stay
// valid).
import {
  HttpTimestampAuthority,
  PDF,
  PdfDict,
  PdfName,
  PdfString,
  measureText,
  type PDFPage,
  type EmbeddedFont,
  type PdfObject,
} from '@libpdf/core';
import { signerFor, type SigningIdentity } from './identity.js';
import { dejavuFont } from './text.js';

export interface SealSigner {
  name: string;
  /** The identity method the signer used (e.g. `nbid-sign`): written to the signature dictionary's /ContactInfo. */
  method: string;
  /** Signing time: the dictionary's /M and the CMS signing-time attribute. */
  time: Date;
}

export interface SealInput {
  pdf: Buffer;
  identity: SigningIdentity;
  signer: SealSigner;
  /** Embedded as the attachment `signing-evidence.json` BEFORE signing, so the signature covers it. When the name is
   *  taken (the PDF already carries a seal), `signing-evidence-2.json`, `-3`, … */
  evidence: Record<string, unknown>;
  /** SIGNED_STATEMENT: the identity provider's signed statement (e.g. a JWT), embedded as an attachment before
   *  signing (a taken file name gets `-2`, `-3`, … before its extension). */
  signedStatement?: { data: string; fileName: string; mimeType: string };
  /** handwritten: a PNG drawn by the signer, stamped visibly on the last page before signing. */
  handwritten?: { png: Buffer };
  /** RFC 3161 TSA URL: PAdES B-T; else B-B. */
  tsaUrl?: string;
  /** /Reason; default `Signed by <name> with <method>`. */
  reason?: string;
  /** /Location; omitted by default. */
  location?: string;
}

/** One signer's part of a multi-signer seal (see {@link sealPdfForSigners}). */
export type SignerSeal = Omit<SealInput, 'pdf' | 'identity' | 'tsaUrl'>;

export const EVIDENCE_FILE_NAME = 'signing-evidence.json';
const APP_NAME = 'esign';
/** Bytes reserved for the CMS beyond its certificates (hex doubles them in the file): signed attributes, signature
 *  value (RSA-4096: 512 bytes) and structure take ~1.5 kB; an RFC 3161 token with its TSA certificate chain 3-8 kB. */
const CMS_SLACK_B_B = 4_096;
const CMS_SLACK_B_T = 16_384;

/**
 * PAdES seal: /SubFilter ETSI.CAdES.detached, CMS with signing-certificate-v2 (made by @libpdf/core), the signer's
 * name in /Name, the method in /ContactInfo, the time in /M, the reason in /Reason. B-T (RFC 3161 signature
 * timestamp) when `tsaUrl` is set, else B-B.
 *
 * Incremental: sealing an already-sealed PDF appends a revision with a second signature; the first stays valid
 * (pdfsig). pyHanko's difference analysis however judges the earlier signatures INVALID when a later revision
 * adds attachments or page content (it allows only signature fields, DSS and metadata after a signature): to seal
 * one PDF for several signers, use {@link sealPdfForSigners}, which writes every signer's evidence and stamp
 * before the first signature.
 */
export async function sealPdf(input: SealInput): Promise<Buffer> {
  const { pdf, identity, tsaUrl, ...signer } = input;
  return sealPdfForSigners({ pdf, identity, signers: [signer], ...(tsaUrl === undefined ? {} : { tsaUrl }) });
}

/**
 * Several successive PAdES signatures on one PDF (packaging): every signer's evidence, signed statement and
 * handwritten stamp are written first, then one signature per signer, in order, each an incremental revision. The
 * first signature covers all the evidence; each later one covers everything before it. pdfsig and pyHanko both
 * accept every signature.
 */
export async function sealPdfForSigners(input: {
  pdf: Buffer;
  identity: SigningIdentity;
  signers: SignerSeal[];
  tsaUrl?: string;
}): Promise<Buffer> {
  if (input.signers.length === 0) throw new Error('sealPdfForSigners: no signers');
  const signer = await signerFor(input.identity);
  let doc = await PDF.load(input.pdf);
  const existingSignatures =
    doc
      .getForm()
      ?.getSignatureFields()
      .filter((f) => f.isSigned()).length ?? 0;

  let stampFont: EmbeddedFont | undefined;
  for (const [i, seal] of input.signers.entries()) {
    const evidence = Buffer.from(JSON.stringify(seal.evidence, null, 2));
    doc.attachments.add(freeName(doc, EVIDENCE_FILE_NAME), evidence, {
      mimeType: 'application/json',
      description: `Signing evidence: ${seal.signer.name} (${seal.signer.method})`,
      createdAt: seal.signer.time,
      modifiedAt: seal.signer.time,
    });
    if (seal.signedStatement) {
      const statement = seal.signedStatement;
      doc.attachments.add(freeName(doc, statement.fileName), Buffer.from(statement.data), {
        mimeType: statement.mimeType,
        description: `Signed statement from the identity provider: ${seal.signer.name} (${seal.signer.method})`,
        createdAt: seal.signer.time,
        modifiedAt: seal.signer.time,
      });
    }
    if (seal.handwritten) {
      stampFont ??= doc.embedFont(await dejavuFont('DejaVuSans.ttf'));
      stampHandwritten(doc, seal.handwritten.png, seal.signer, existingSignatures + i, stampFont);
    }
  }

  if (stampFont) {
    // @libpdf/core's sign() saves without font subsetting (the whole 750 kB DejaVu Sans would go in): write the
    // edits as their own revision with a subset font first. The first signature covers that revision too.
    doc = await PDF.load(await doc.save({ incremental: true, subsetFonts: true }));
  }

  const certificateBytes = [signer.certificate, ...(signer.certificateChain ?? [])].reduce((n, c) => n + c.length, 0);
  const timestampAuthority = input.tsaUrl ? new HttpTimestampAuthority(input.tsaUrl, { timeout: 30_000 }) : undefined;
  let bytes: Uint8Array | undefined;
  for (const seal of input.signers) {
    const dictionary = signatureEntries(seal);
    bytes = await withSignatureDictionary(doc, dictionary, async () => {
      const result = await doc.sign({
        signer,
        signingTime: seal.signer.time,
        subFilter: 'ETSI.CAdES.detached',
        digestAlgorithm: 'SHA-256',
        estimatedSize: certificateBytes + (timestampAuthority ? CMS_SLACK_B_T : CMS_SLACK_B_B),
        ...(timestampAuthority ? { level: 'B-T' as const, timestampAuthority } : { level: 'B-B' as const }),
      });
      return result.bytes;
    });
  }
  return Buffer.from(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength);
}

function signatureEntries(seal: SignerSeal): Record<string, PdfObject> {
  const { name, method } = seal.signer;
  const entries: Record<string, PdfObject> = {
    Name: PdfString.fromString(name),
    Reason: PdfString.fromString(seal.reason ?? `Signed by ${name} with ${method}`),
    ContactInfo: PdfString.fromString(method),
    Prop_Build: PdfDict.of({ App: PdfDict.of({ Name: PdfName.of(APP_NAME) }) }),
  };
  if (seal.location !== undefined) entries.Location = PdfString.fromString(seal.location);
  return entries;
}

/**
 * @libpdf/core 0.4.2 writes /M, /Reason, /Location, /ContactInfo but no /Name, and it escapes strings twice
 * (`(` comes out as `\(`). Its signature dictionary is registered with the document's object registry before the
 * placeholder revision is written, so this wraps `register` for the duration of one `sign()` call and sets the
 * entries there, before anything is hashed.
 */
async function withSignatureDictionary<T>(
  doc: PDF,
  entries: Record<string, PdfObject>,
  sign: () => Promise<T>,
): Promise<T> {
  const registry = doc.context.registry;
  const register = registry.register;
  let seen = 0;
  registry.register = function (obj) {
    if (obj instanceof PdfDict && obj.getName('Type')?.value === 'Sig') {
      seen++;
      for (const key of ['Reason', 'Location', 'ContactInfo']) obj.delete(key);
      for (const [key, value] of Object.entries(entries)) obj.set(key, value);
    }
    return register.call(this, obj);
  };
  try {
    const result = await sign();
    if (seen !== 1) throw new Error(`@libpdf/core registered ${seen} signature dictionaries (expected 1)`);
    return result;
  } finally {
    registry.register = register;
  }
}

/** `name`, or `name-2.ext`, `name-3.ext`, … — the first not yet attached. */
function freeName(doc: PDF, name: string): string {
  if (!doc.attachments.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}${ext}`;
    if (!doc.attachments.has(candidate)) return candidate;
  }
}

const STAMP = { width: 170, height: 56, caption: 7, gap: 10, margin: 44 } as const;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The signer's drawing, fitted into a 170×56 pt box in the bottom right of the last page, with a caption (name,
 * method, UTC time). Successive signers take the next slot: two per row, rows going up.
 */
function stampHandwritten(doc: PDF, png: Buffer, signer: SealSigner, slot: number, font: EmbeddedFont): void {
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
