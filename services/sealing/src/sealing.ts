import { createHash, randomBytes } from 'node:crypto';
import type { DocumentStore } from '@esign/document-store';
import { shownDocument, taskSpec, type OrderRecord, type OrderStore } from '@esign/order-store';
import {
  sealPdf,
  typedSealFailures,
  type OnDependencyFailure,
  textToPdf,
  type PadesLevel,
  type SigningIdentity,
} from '@esign/pdf-signing';
import { fillPdfForm, FormFillRefused, readPdfFormValues } from '@esign/pdf-forms';
import {
  ERROR_TYPES,
  own,
  type FormFieldValue,
  type SealDocumentInput,
  type SealDocumentResult,
} from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { ApplicationFailure } from '@temporalio/activity';

export interface SealingDeps {
  store: DocumentStore;
  orders: OrderStore;
  /** The platform's signing key, loaded once (dev: created on first start and kept). */
  identity: () => Promise<SigningIdentity>;
  /** RFC 3161 TSA (from B-T on). */
  tsaUrl?: string;
  /** The PAdES level of results (config `SIGNING_LEVEL`; default B-LTA with a TSA, else B-B). */
  level?: PadesLevel;
  /** Counts seals that failed on an unreachable TSA, OCSP responder or CRL. */
  onDependencyFailure?: OnDependencyFailure;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const notFound = (message: string) =>
  ApplicationFailure.create({ type: ERROR_TYPES.NOT_FOUND, message, nonRetryable: true });

/**
 * Seals one task document for its signer (contract §7): a text document is rendered to PDF first; the signing evidence
 * (identity claims, time, IP, user agent, the original's SHA-256), a signed statement and a drawn signature go into
 * the PDF before the PAdES signature, so the signature covers them. The result is stored; the task workflow records it.
 */
export async function sealDocument(deps: SealingDeps, input: SealDocumentInput): Promise<SealDocumentResult> {
  const { merchantId, orderId, taskId, documentId } = input;
  const order = await deps.orders.getOrder(merchantId, orderId);
  const task = own(order?.tasks, taskId);
  const document = task?.documents.find((d) => d.documentId === documentId);
  if (!order || !task) throw notFound('the order or task no longer exists');
  if (!document) throw notFound('the task has no stored document with this id');

  // A PDF form the order filled in is signed as filled (the copy its signer was shown).
  const shown = shownDocument(document);
  const original = await deps.store.readObject(shown.objectKey);
  const isPdf = document.contentType === 'application/pdf';
  const spec = taskSpec(order, taskId)?.documents.find((d) => d.id === documentId);
  const { pdf, formValues } = isPdf
    ? await withSignerValues(original, spec?.form, input.formValues ?? [])
    : { pdf: await renderText(order, taskId, documentId, original), formValues: undefined };

  const signedAt = new Date(input.signedAt);
  const evidence = {
    orderId,
    taskId,
    documentId,
    signatureType: input.signatureType,
    signedAt: input.signedAt,
    document: { contentType: document.contentType, sha256: shown.sha256, size: shown.size },
    ...(formValues
      ? { form: { ...(document.filled ? { originalSha256: document.sha256 } : {}), values: formValues } }
      : {}),
    signer: input.evidence,
  };
  const identity = await deps.identity();
  const sealed = await typedSealFailures(
    () =>
      sealPdf({
        pdf,
        identity,
        signer: { name: input.evidence.signerName, method: input.evidence.method, time: signedAt },
        evidence,
        ...(input.signedStatement
          ? {
              signedStatement: {
                data: input.signedStatement,
                fileName: 'signed-statement.jwt',
                mimeType: 'application/jwt',
                ...(input.statementProof ? { proof: input.statementProof } : {}),
              },
            }
          : {}),
        ...(input.handwrittenPng ? { handwritten: { png: Buffer.from(input.handwrittenPng, 'base64') } } : {}),
        ...(deps.tsaUrl ? { tsaUrl: deps.tsaUrl } : {}),
        ...(deps.level ? { level: deps.level } : {}),
      }),
    deps.onDependencyFailure,
  );

  if (!isPdf) {
    const generatedKey = storageKeys.documentResult(merchantId, orderId, taskId, documentId, 'generated');
    await deps.store.putBuffer(generatedKey, pdf, 'application/pdf');
  }
  // Each attempt its own object: the one the task workflow records is the one whose attempt completed.
  const attempt = randomBytes(6).toString('hex');
  const objectKey = storageKeys.documentResult(merchantId, orderId, taskId, documentId, 'result', attempt);
  await deps.store.putBuffer(objectKey, sealed, 'application/pdf');
  const result = { objectKey, sha256: sha256(sealed), size: sealed.length, ...(formValues ? { formValues } : {}) };
  // The task workflow records the result (the read model has one writer); only an order deleted while this sealed
  // must not keep it: nothing may outlive the order.
  if (!(await deps.orders.getOrder(merchantId, orderId))) {
    await deps.store.removePrefix(storageKeys.orderResults(merchantId, orderId));
    throw notFound('the order was deleted while the document was being sealed');
  }
  return result;
}

const refused = (message: string) =>
  ApplicationFailure.create({ type: ERROR_TYPES.VALIDATION, message, nonRetryable: true });

/**
 * The PDF to seal with what the signer filled in of its form (only where the order made it `interactive`, and never
 * over the order's own `inputParams`), and the values its form then holds; none for a document the order gave no form.
 */
async function withSignerValues(
  pdf: Buffer,
  form: { interactive?: boolean; inputParams?: Array<{ name: string }> } | undefined,
  signerValues: FormFieldValue[],
): Promise<{ pdf: Buffer; formValues?: FormFieldValue[] }> {
  if (signerValues.length === 0) return form ? { pdf, formValues: await readPdfFormValues(pdf) } : { pdf };
  if (!form?.interactive) throw refused('the document has no form for its signer to fill in');
  const fixed = new Set((form.inputParams ?? []).map((p) => p.name));
  const overriding = signerValues.filter((v) => fixed.has(v.name)).map((v) => v.name);
  if (overriding.length > 0) throw refused(`the order fills in these fields itself: ${overriding.join(', ')}`);
  const filled = await fillPdfForm(pdf, signerValues).catch((err: unknown) => {
    throw err instanceof FormFillRefused ? refused(err.message) : err;
  });
  return { pdf: filled.pdf, formValues: filled.values };
}

/** A text document rendered to PDF for signing, titled with its description (the same for sealing and packaging). */
export function renderText(order: OrderRecord, taskId: string, documentId: string, text: Buffer): Promise<Buffer> {
  const spec = taskSpec(order, taskId)?.documents.find((d) => d.id === documentId);
  return textToPdf(text.toString('utf8'), { title: spec?.description ?? documentId });
}
