import { createHmac } from 'node:crypto';
import {
  TASK_EVENT_TYPES,
  type ClaimedUpload,
  type SigningOrderInput,
  type TaskEvent,
} from '@esign/temporal-contracts';
import type { OrderRecord, OrderStore, OrderTaskRecord, TaskDocumentRecord } from './store.js';

/**
 * A task's sign code: 256 bits derived from a server secret, so a retried creation issues the same code (nothing
 * to clean up) and nobody without the secret can guess one. Stored on issue, so resolving never needs the secret.
 */
export function signCodeOf(secret: string, merchantId: string, orderId: string, taskId: string): string {
  return createHmac('sha256', secret).update(`${merchantId}\n${orderId}\n${taskId}`).digest('base64url');
}

function taskRecords(
  order: SigningOrderInput,
  expiresAt: Record<string, string>,
  claimed: ClaimedUpload[],
): Record<string, OrderTaskRecord> {
  const byRef = new Map<string, ClaimedUpload>(claimed.map((c) => [c.documentId, c]));
  return Object.fromEntries(
    order.tasks.map((task) => {
      const documents: TaskDocumentRecord[] = task.documents.map(({ documentId, documentRef }) => {
        const upload = byRef.get(documentRef);
        if (!upload) throw new Error(`document ${documentRef} of task ${task.taskId} was not claimed`);
        const { contentType, size, sha256, bucket, objectKey } = upload;
        return { documentId, documentRef, contentType, size, sha256, bucket, objectKey };
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
 * The read model of a new order, with the first event of each of its tasks: what `OrderStore.recordOrder` writes
 * once the order's uploads are claimed (by the gateway before it starts the order's workflow; by the workflow's
 * first activity in orders created before that).
 */
export function newOrderRecord(
  order: SigningOrderInput,
  expiresAt: Record<string, string>,
  claimed: ClaimedUpload[],
  signCodeSecret: string,
): { record: OrderRecord; firstEvents: Record<string, { eventId: string; event: TaskEvent }> } {
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
    tasks: taskRecords(order, expiresAt, claimed),
  };
  const created: TaskEvent = { eventType: TASK_EVENT_TYPES.CREATED, eventTime: order.createdAt };
  const firstEvents = Object.fromEntries(order.tasks.map((t) => [t.taskId, { eventId: 'created', event: created }]));
  return { record, firstEvents };
}

/** What claiming needs of the document store (kept structural: this package does not depend on it). */
export interface UploadClaims {
  claimAll(
    merchantId: string,
    documentIds: string[],
    orderId: string,
  ): Promise<{
    claimed: Array<Omit<ClaimedUpload, 'merchantId' | 'documentId'> & { documentId: string }>;
    missing: string[];
  }>;
}

/**
 * Creates an order's read model: claims its uploads (all or none) and records the order with each task's first
 * event. Safe to repeat: claims are idempotent and an order already recorded is left as it is.
 */
export async function claimAndRecord(
  deps: { uploads: UploadClaims; orders: OrderStore; signCodeSecret: string },
  order: SigningOrderInput,
  expiresAt: Record<string, string>,
): Promise<{ claimed: ClaimedUpload[]; missingDocumentRefs: string[] }> {
  const { merchantId, orderId } = order;
  const refs = order.tasks.flatMap((t) => t.documents.map((d) => d.documentRef));
  const { claimed: metas, missing } = await deps.uploads.claimAll(merchantId, refs, orderId);
  if (missing.length > 0) return { claimed: [], missingDocumentRefs: missing };
  const claimed = metas.map(({ documentId, contentType, size, sha256, bucket, objectKey }) => ({
    merchantId,
    documentId,
    contentType,
    size,
    sha256,
    bucket,
    objectKey,
  }));
  const { record, firstEvents } = newOrderRecord(order, expiresAt, claimed, deps.signCodeSecret);
  await deps.orders.recordOrder(record, firstEvents);
  return { claimed, missingDocumentRefs: [] };
}
