import { createHash } from 'node:crypto';
import type { DocumentStore } from '@esign/document-store';
import type { FilledDocument, FilledForms } from '@esign/order-store';
import { fillPdfForm, readPdfFormValues, type FormValue } from '@esign/pdf-forms';
import type { SigningOrderInput } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';

/**
 * Each task document with `form.inputParams` gets its own copy of the order's PDF with the values filled in (the
 * `generated` document: what its signer sees and signs). Creation checked that every value fits, so filling does not
 * fail here. Written once: a retried activity keeps the copy an earlier attempt stored (filling again would give other
 * bytes — a font subset's name is random — for a document a signer may already have seen).
 */
export async function fillOrderForms(store: DocumentStore, order: SigningOrderInput): Promise<FilledForms> {
  const filled: FilledForms = {};
  for (const task of order.order.tasks) {
    for (const document of task.documents) {
      const params = document.form?.inputParams ?? [];
      if (params.length === 0 || document.documentRef === undefined) continue;
      const objectKey = storageKeys.documentResult(order.merchantId, order.orderId, task.id, document.id, 'generated');
      (filled[task.id] ??= {})[document.id] = await fillOnce(store, objectKey, async () =>
        fillPdfForm(
          await store.readObject(storageKeys.orderDocument(order.merchantId, order.orderId, document.documentRef!)),
          params,
        ),
      );
    }
  }
  return filled;
}

async function fillOnce(
  store: DocumentStore,
  objectKey: string,
  fill: () => Promise<{ pdf: Buffer; values: FormValue[] }>,
): Promise<FilledDocument> {
  const stored = await store.readIfStored(objectKey);
  const { pdf, values } = stored ? { pdf: stored, values: await readPdfFormValues(stored) } : await fill();
  if (!stored) await store.putBuffer(objectKey, pdf, 'application/pdf');
  return { objectKey, size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex'), values };
}
