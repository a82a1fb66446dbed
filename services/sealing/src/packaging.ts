import { createHash } from 'node:crypto';
import { shownDocument, type OrderRecord } from '@esign/order-store';
import { renderText, type SealingDeps } from './sealing.js';
import { sealPdfForSigners, typedSealFailures, type SignerSeal } from '@esign/pdf-signing';
import { ERROR_TYPES, own, type PackageDocumentsInput, type PackageDocumentsResult } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { ApplicationFailure } from '@temporalio/activity';
import { PDFDocument } from 'pdf-lib';

/** Packaging seals like a signer's document, with the same key, level and validation-data sources. */
export type PackagingDeps = SealingDeps;

const refuse = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * A PAdES package (contract §8): the named documents' originals (text rendered to PDF) in one PDF — a document shared
 * by several tasks once — then one signature
 * per signer of the named tasks, in order, each carrying that signer's evidence — successive signatures that all stay
 * valid. The signers' evidence comes from their sealed results.
 */
export async function packageDocuments(
  deps: PackagingDeps,
  input: PackageDocumentsInput,
): Promise<PackageDocumentsResult> {
  const { merchantId, orderId, packagingTaskId } = input;
  const order = await deps.orders.getOrder(merchantId, orderId);
  if (!order) throw refuse(ERROR_TYPES.NOT_FOUND, 'the order no longer exists');

  const merged = await PDFDocument.create();
  const signers: SignerSeal[] = [];
  // A document several tasks share (the same upload) goes in once; each of its signers signs the one copy.
  const packed = new Set<string>();
  for (const { taskId, documentIds } of input.documents) {
    const task = own(order.tasks, taskId);
    if (!task) throw refuse(ERROR_TYPES.NOT_FOUND, `the order has no task ${taskId}`);
    for (const documentId of documentIds) {
      const stored = task.documents.find((d) => d.documentId === documentId);
      if (!stored) throw refuse(ERROR_TYPES.NOT_FOUND, `task ${taskId} has no stored document ${documentId}`);
      // A filled-in form is the task's own copy: packed as such, even where another task shares its upload.
      const shown = shownDocument(stored);
      const packKey = stored.filled ? shown.objectKey : stored.documentRef;
      if (packed.has(packKey)) continue;
      packed.add(packKey);
      const pdf =
        stored.contentType === 'application/pdf'
          ? await deps.store.readObject(shown.objectKey)
          : await renderedText(deps, order, taskId, documentId, stored.objectKey);
      const source = await PDFDocument.load(pdf);
      for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
    }
    const signer = Object.values(task.results ?? {}).find((r) => r.signer)?.signer;
    if (!signer) throw refuse(ERROR_TYPES.VALIDATION, `task ${taskId} has no sealed result to take its signer from`);
    signers.push({
      signer: { name: signer.signerName, method: signer.method, time: new Date(signer.signedAt) },
      evidence: { orderId, taskId, packagingTaskId, signedAt: signer.signedAt, signer },
      reason: `Signed by ${signer.signerName} with ${signer.method}`,
    });
  }
  const pdf = Buffer.from(await merged.save({ useObjectStreams: false }));
  const identity = await deps.identity();
  const sealed = await typedSealFailures(
    () =>
      sealPdfForSigners({
        pdf,
        identity,
        signers,
        ...(deps.tsaUrl ? { tsaUrl: deps.tsaUrl } : {}),
        ...(deps.level ? { level: deps.level } : {}),
      }),
    deps.onDependencyFailure,
  );
  const objectKey = storageKeys.packagingResult(merchantId, orderId, packagingTaskId);
  await deps.store.putBuffer(objectKey, sealed, 'application/pdf');
  const sha256 = createHash('sha256').update(sealed).digest('hex');
  return { objectKey, sha256, size: sealed.length, signatures: signers.length };
}

/**
 * A text document as its signer sealed it: the PDF rendered at sealing (stored as `generated`), so the package shows
 * the very pages that were signed; rendered the same way if it is missing.
 */
async function renderedText(
  deps: PackagingDeps,
  order: OrderRecord,
  taskId: string,
  documentId: string,
  objectKey: string,
): Promise<Buffer> {
  const generated = storageKeys.documentResult(order.merchantId, order.orderId, taskId, documentId, 'generated');
  try {
    return await deps.store.readObject(generated);
  } catch {
    return renderText(order, taskId, documentId, await deps.store.readObject(objectKey));
  }
}
