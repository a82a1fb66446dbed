import { createHmac } from 'node:crypto';
import { taskExpiries, type ClaimedUpload, type SigningOrderInput } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { creationEvents, type FirstEvent } from './creation-events.js';
import type { FilledDocument, OrderRecord, OrderTaskRecord, TaskDocumentRecord } from './record.js';

/**
 * A task's sign code: 256 bits derived from a server secret, so a retried creation issues the same code (nothing
 * to clean up) and nobody without the secret can guess one. Stored on issue, so resolving never needs the secret.
 * `forward` > 0: the code the task gets with its `forward`th forward (a retried forward issues the same one).
 */
export function signCodeOf(secret: string, merchantId: string, orderId: string, taskId: string, forward = 0): string {
  const what = `${merchantId}\n${orderId}\n${taskId}${forward > 0 ? `\nforward ${forward}` : ''}`;
  return createHmac('sha256', secret).update(what).digest('base64url');
}

/** Where a new order's documents are read from: the uploads (reserved, until copied), or the order's own copies. */
export type DocumentsAt = 'uploads' | 'order';

/** Filled-in PDF forms by task id and document id (the order's first activity makes them). */
export type FilledForms = Record<string, Record<string, FilledDocument>>;

function taskRecords(
  order: SigningOrderInput,
  expiresAt: Record<string, string>,
  uploads: ClaimedUpload[],
  at: DocumentsAt,
  filled: FilledForms,
): Record<string, OrderTaskRecord> {
  const byRef = new Map<string, ClaimedUpload>(uploads.map((c) => [c.documentId, c]));
  return Object.fromEntries(
    order.tasks.map((task) => {
      const documents: TaskDocumentRecord[] = task.documents.map(({ documentId, documentRef }) => {
        const upload = byRef.get(documentRef);
        if (!upload) throw new Error(`document ${documentRef} of task ${task.taskId} was not claimed`);
        const { contentType, size, sha256, bucket } = upload;
        const objectKey =
          at === 'order' ? storageKeys.orderDocument(order.merchantId, order.orderId, documentRef) : upload.objectKey;
        const form = filled[task.taskId]?.[documentId];
        return {
          documentId,
          documentRef,
          contentType,
          size,
          sha256,
          bucket,
          objectKey,
          ...(form ? { filled: form } : {}),
        };
      });
      const record: OrderTaskRecord = {
        status: 'CREATED',
        expiresAt: expiresAt[task.taskId]!,
        updatedAt: order.createdAt,
        documents,
      };
      return [task.taskId, record];
    }),
  );
}

/**
 * The read model of a new order, with the first event of each of its tasks: what the creation reserves and answers
 * (documents at the uploads) and what the order's first activity records (documents at the order's copies).
 */
export function newOrderRecord(
  order: SigningOrderInput,
  uploads: ClaimedUpload[],
  signCodeSecret: string,
  at: DocumentsAt = 'uploads',
  filled: FilledForms = {},
): { record: OrderRecord; firstEvents: Record<string, FirstEvent[]> } {
  const record: OrderRecord = {
    orderId: order.orderId,
    merchantId: order.merchantId,
    ...(order.clientReference !== undefined ? { clientReference: order.clientReference } : {}),
    createdAt: order.createdAt,
    status: 'ACTIVE',
    order: order.order,
    ...(order.traceparent ? { traceparent: order.traceparent } : {}),
    ...(order.packaging?.length
      ? {
          packaging: Object.fromEntries(
            order.packaging.map((p) => [p.packagingTaskId, { status: 'CREATED' as const, at: order.createdAt }]),
          ),
        }
      : {}),
    signCodes: Object.fromEntries(
      order.tasks.map((t) => [t.taskId, signCodeOf(signCodeSecret, order.merchantId, order.orderId, t.taskId)]),
    ),
    tasks: taskRecords(order, taskExpiries(order), uploads, at, filled),
  };
  return { record, firstEvents: creationEvents(order.orderId, order.createdAt, order.order) };
}
