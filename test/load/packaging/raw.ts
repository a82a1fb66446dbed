// The raw baseline: what `packageDocuments` does, without Temporal, S3 or Redis; and the check of a package.
import {
  padesLevels,
  readSignatureDictionaries,
  sealPdfForSigners,
  textToPdf,
  verifyWithPdfsig,
  type SignerSeal,
  type SigningIdentity,
} from '@esign/pdf-signing';
import { PDFDocument } from 'pdf-lib';
import { documentText, PKG, sealRequest, signerName } from './signers.js';

/** What `packageDocuments` does, in-process and without I/O: render, merge, seal once per signer (ms of each part). */
export async function rawPackage(
  n: number,
  identity: SigningIdentity,
  tsaUrl: string,
): Promise<{ pdf: Buffer; render: number; seal: number }> {
  const started = performance.now();
  const merged = await PDFDocument.create();
  const signers: SignerSeal[] = [];
  for (let i = 1; i <= n; i++) {
    const source = await PDFDocument.load(await textToPdf(documentText(n, i)));
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
    const signedAt = new Date().toISOString();
    const signer = { ...sealRequest(i).evidence, signedAt };
    signers.push({
      signer: { name: signer.signerName, method: signer.method, time: new Date(signedAt) },
      evidence: { orderId: 'bench', taskId: `signer${i}`, packagingTaskId: PKG, signedAt, signer },
      reason: `Signed by ${signer.signerName} with ${signer.method}`,
    });
  }
  const pdf = Buffer.from(await merged.save({ useObjectStreams: false }));
  const rendered = performance.now();
  // The stack's TSA: B-LTA, as document-storage seals packages.
  const sealed = await sealPdfForSigners({ pdf, identity, signers, tsaUrl });
  return { pdf: sealed, render: rendered - started, seal: performance.now() - rendered };
}

/**
 * N signatures at the stack's level (B-LTA: it has a TSA), each intact to pdfsig, the first trusted by the stack's
 * root (see verifyWithPdfsig for the rest), in signer order.
 */
export async function verifyPackage(what: string, pdf: Buffer, n: number, caPem: string): Promise<void> {
  const levels = await padesLevels(pdf);
  const { signatures, raw } = await verifyWithPdfsig(pdf, { caPems: [caPem] });
  const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
  const bad = seals.filter((s) => !s.valid);
  if (seals.length !== n || bad.length > 0 || !seals[0]?.trusted || levels.some((l) => l !== 'B-LTA')) {
    throw new Error(`${what}: expected ${n} valid B-LTA signatures (${levels.join(', ')}), pdfsig says:\n${raw}`);
  }
  const names = (await readSignatureDictionaries(pdf)).map((d) => d.name);
  const expected = Array.from({ length: n }, (_, i) => signerName(i + 1));
  if (JSON.stringify(names) !== JSON.stringify(expected)) throw new Error(`${what}: signers ${names.join(', ')}`);
}
