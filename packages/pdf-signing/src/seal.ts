// PAdES sealing with @libpdf/core: evidence attachments and handwritten stamps are written in the same incremental
// revision as the signature (so it covers them), and every seal is an incremental update (earlier signatures stay
// valid).
import { PDF, type EmbeddedFont, type PAdESLevel, type TimestampAuthority } from '@libpdf/core';
import { freeName, signatureEntries, withSignatureDictionary } from './dictionary.js';
import { signerFor, type SigningIdentity } from './identity.js';
import { StrictRevocationProvider } from './revocation.js';
import { stampHandwritten } from './stamp.js';
import { dejavuFont } from '@esign/pdf-forms';
import { timestampAuthority } from './timestamp.js';

/** PAdES baseline levels (ETSI EN 319 142-1): B-B, B-T (signature timestamp), B-LT (+ DSS), B-LTA (+ doc timestamp). */
export type PadesLevel = PAdESLevel;

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
  /** The provider's ID token, and the proof that binds it to the documents (`signed-statement-proof.json`). */
  signedStatement?: { data: string; fileName: string; mimeType: string; proof?: string };
  /** handwritten: a PNG drawn by the signer, stamped visibly on the last page before signing. */
  handwritten?: { png: Buffer };
  /** RFC 3161 TSA URL: needed from B-T on (signature and document timestamps). */
  tsaUrl?: string;
  /** Default: B-LTA with a TSA, else B-B. */
  level?: PadesLevel;
  /** /Reason; default `Signed by <name> with <method>`. */
  reason?: string;
  /** /Location; omitted by default. */
  location?: string;
}

/** One signer's part of a multi-signer seal (see {@link sealPdfForSigners}). */
export type SignerSeal = Omit<SealInput, 'pdf' | 'identity' | 'tsaUrl' | 'level'>;

export const EVIDENCE_FILE_NAME = 'signing-evidence.json';
/** Bytes reserved for the CMS beyond its certificates (hex doubles them in the file): signed attributes, signature
 *  value (RSA-4096: 512 bytes) and structure take ~1.5 kB; an RFC 3161 token with its TSA certificate chain 3-8 kB. */
const CMS_SLACK_B_B = 4_096;
const CMS_SLACK_B_T = 16_384;

/**
 * PAdES seal: /SubFilter ETSI.CAdES.detached, CMS with signing-certificate-v2 (made by @libpdf/core), the signer's
 * name in /Name, the method in /ContactInfo, the time in /M, the reason in /Reason. The PAdES level is `level`
 * (default B-LTA with a `tsaUrl`, else B-B): B-T adds an RFC 3161 signature timestamp, B-LT the DSS with the
 * revocation data of every chain involved, B-LTA a document timestamp over it all (and its own DSS revision).
 *
 * Incremental: sealing an already-sealed PDF appends a revision with a second signature; the first stays valid
 * (pdfsig). pyHanko's difference analysis however judges the earlier signatures INVALID when a later revision
 * adds attachments or page content (it allows only signature fields, DSS and metadata after a signature): to seal
 * one PDF for several signers, use {@link sealPdfForSigners}, which writes every signer's evidence and stamp
 * before the first signature.
 */
export async function sealPdf(input: SealInput): Promise<Buffer> {
  const { pdf, identity, tsaUrl, level, ...signer } = input;
  return sealPdfForSigners({
    pdf,
    identity,
    signers: [signer],
    ...(tsaUrl === undefined ? {} : { tsaUrl }),
    ...(level === undefined ? {} : { level }),
  });
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
  level?: PadesLevel;
}): Promise<Buffer> {
  if (input.signers.length === 0) throw new Error('sealPdfForSigners: no signers');
  const level = input.level ?? (input.tsaUrl ? 'B-LTA' : 'B-B');
  if (level !== 'B-B' && !input.tsaUrl) throw new Error(`PAdES ${level} needs a time-stamping authority`);
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
      if (statement.proof) {
        doc.attachments.add(freeName(doc, 'signed-statement-proof.json'), Buffer.from(statement.proof), {
          mimeType: 'application/json',
          description: `What binds the signed statement to the documents: ${seal.signer.name} (${seal.signer.method})`,
          createdAt: seal.signer.time,
          modifiedAt: seal.signer.time,
        });
      }
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
  const tsa = level !== 'B-B' && input.tsaUrl ? timestampAuthority(input.tsaUrl) : undefined;
  let bytes: Uint8Array | undefined;
  for (const seal of input.signers) {
    const dictionary = signatureEntries(seal);
    bytes = await withSignatureDictionary(doc, dictionary, async () => {
      const result = await doc.sign({
        signer,
        signingTime: seal.signer.time,
        subFilter: 'ETSI.CAdES.detached',
        digestAlgorithm: 'SHA-256',
        estimatedSize: certificateBytes + (tsa ? CMS_SLACK_B_T : CMS_SLACK_B_B),
        ...(tsa ? { level: 'B-T' as const, timestampAuthority: tsa } : { level: 'B-B' as const }),
      });
      return result.bytes;
    });
  }
  if (tsa && (level === 'B-LT' || level === 'B-LTA')) bytes = await addLongTermData(doc, level, tsa);
  return Buffer.from(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength);
}

/**
 * B-LT: one DSS revision with the certificates, OCSP responses and CRLs of every signature's and signature
 * timestamp's chain. B-LTA: that, then a document timestamp and a DSS revision for its own chain. Revocation data is
 * fetched strictly: a source that does not answer or a revoked certificate fails the seal (see revocation.ts).
 */
async function addLongTermData(doc: PDF, level: 'B-LT' | 'B-LTA', tsa: TimestampAuthority): Promise<Uint8Array> {
  const revocationProvider = new StrictRevocationProvider();
  const { bytes } =
    level === 'B-LT'
      ? await doc.addValidationData({ revocationProvider })
      : await doc.addArchivalData({ timestampAuthority: tsa, revocationProvider });
  revocationProvider.assertComplete();
  return bytes;
}
