import type { DocumentStore } from '@esign/document-store';
import type { OrderStore, OrderTaskRecord, TaskDocumentRecord } from '@esign/order-store';
import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { packageDocuments } from './packaging.js';
import { sealDocument, type SealingDeps } from './sealing.js';
import {
  portalLinks,
  storageKeys,
  TASK_EVENT_TYPES,
  type ClaimedUpload,
  type ClaimOrderDocumentsResult,
  type OrderActivities,
  type SigningOrderInput,
} from '@esign/temporal-contracts';

export interface OrderActivityDeps {
  store: DocumentStore;
  orders: OrderStore;
  /** Sealing signed documents; without it sealDocument fails (workers that only manage uploads and orders). */
  sealing?: Omit<SealingDeps, 'store' | 'orders'>;
  /** The signing portal's public URL (links in notifications) and the key sign codes are derived with. */
  config: { signingPortalUrl: string; signCodeSecret: string };
}

/**
 * A task's sign code: 256 bits derived from a server secret, so a retried activity issues the same code (nothing
 * to clean up) and nobody without the secret can guess one. Stored on issue, so resolving never needs the secret.
 */
export function signCodeOf(secret: string, merchantId: string, orderId: string, taskId: string): string {
  return createHmac('sha256', secret).update(`${merchantId}\n${orderId}\n${taskId}`).digest('base64url');
}

/** Claims every upload, all or nothing: an order that is not created must not keep others alive past 30 minutes. */
async function claimAll(store: DocumentStore, order: SigningOrderInput): Promise<ClaimOrderDocumentsResult> {
  const { merchantId, orderId } = order;
  const refs = [...new Set(order.tasks.flatMap((t) => t.documents.map((d) => d.documentRef)))];
  const claimed: ClaimedUpload[] = [];
  const missingDocumentRefs: string[] = [];
  for (const documentId of refs) {
    const meta = await store.claim(merchantId, documentId, orderId);
    if (!meta) {
      missingDocumentRefs.push(documentId);
      continue;
    }
    const { contentType, size, sha256, bucket, objectKey } = meta;
    claimed.push({ merchantId, documentId, contentType, size, sha256, bucket, objectKey });
  }
  if (missingDocumentRefs.length === 0) return { claimed, missingDocumentRefs };
  await Promise.all(claimed.map((c) => store.release(merchantId, c.documentId, orderId)));
  return { claimed: [], missingDocumentRefs };
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
 * Activities of an order's lifecycle: claiming its uploads, writing its read model, deleting both. Every one is
 * idempotent, because Temporal retries an activity whose worker died after doing part of the work.
 */
export function createOrderActivities({ store, orders, config, sealing }: OrderActivityDeps): OrderActivities {
  return {
    async claimAndRecordOrder({ order, expiresAt }) {
      const claims = await claimAll(store, order);
      if (claims.missingDocumentRefs.length > 0) return claims;
      await orders.recordOrder({
        orderId: order.orderId,
        merchantId: order.merchantId,
        ...(order.clientReference !== undefined ? { clientReference: order.clientReference } : {}),
        createdAt: order.createdAt,
        status: 'ACTIVE',
        order: order.order,
        signingUrls: order.signingUrls,
        ...(order.traceparent ? { traceparent: order.traceparent } : {}),
        ...(order.packaging?.length
          ? {
              packaging: Object.fromEntries(
                order.packaging.map((p) => [p.packagingTaskId, { status: 'CREATED' as const, at: order.createdAt }]),
              ),
            }
          : {}),
        signCodes: Object.fromEntries(
          order.tasks.map((t) => [
            t.taskId,
            signCodeOf(config.signCodeSecret, order.merchantId, order.orderId, t.taskId),
          ]),
        ),
        tasks: taskRecords(order, expiresAt, claims.claimed),
      });
      for (const task of order.tasks) {
        await orders.appendEvent(order.merchantId, order.orderId, task.taskId, 'created', {
          eventType: TASK_EVENT_TYPES.CREATED,
          eventTime: order.createdAt,
        });
      }
      return claims;
    },

    async recordTaskStatus({ merchantId, orderId, changes }) {
      for (const change of changes) {
        // Events first: a reader that sees the final status also sees the event that explains it.
        for (const { eventId, ...event } of change.events) {
          await orders.appendEvent(merchantId, orderId, change.taskId, eventId, event);
        }
        if (change.status) await orders.setTaskStatus(merchantId, orderId, change.taskId, change.status, change.at);
      }
    },

    async recordOrderStatus({ merchantId, orderId, status, deleteAt }) {
      await orders.setOrderStatus(merchantId, orderId, status, deleteAt);
    },

    async sealDocument(input) {
      if (!sealing) {
        throw ApplicationFailure.create({ message: 'this worker has no signing key', nonRetryable: false });
      }
      return sealDocument({ store, orders, ...sealing }, input);
    },

    async packageDocuments(input) {
      if (!sealing) {
        throw ApplicationFailure.create({ message: 'this worker has no signing key', nonRetryable: false });
      }
      return packageDocuments({ store, orders, ...sealing }, input);
    },

    async recordPackaging({ merchantId, orderId, packagingTaskId, record, events }) {
      for (const { taskId, eventId, ...event } of events) {
        await orders.appendEvent(merchantId, orderId, taskId, eventId, event);
      }
      await orders.setPackaging(merchantId, orderId, packagingTaskId, record);
    },

    async recordArchived({ merchantId, orderId, taskId, documentId, archiveId }) {
      await orders.setArchived(merchantId, orderId, taskId, documentId, archiveId);
    },

    async readNotificationContext({ merchantId, orderId, taskId }) {
      const order = await orders.getOrder(merchantId, orderId);
      const task = taskId ? order?.tasks[taskId] : undefined;
      if (!order || (taskId && !task)) return { exists: false };
      const signCode = taskId ? (order.signCodes?.[taskId] ?? '') : '';
      const placeholders = {
        orderId,
        clientRef: order.clientReference ?? '',
        taskUrl: taskId ? (order.signingUrls[taskId] ?? '') : '',
        signCode,
        signCodeUrl: signCode ? portalLinks.signCode(config.signingPortalUrl, signCode) : '',
      };
      if (!taskId || !task) return { exists: true, placeholders };
      const events = (await orders.getEvents(merchantId, orderId, taskId)) ?? [];
      const started = events.some((e) => e.eventType === TASK_EVENT_TYPES.STARTED);
      return { exists: true, placeholders, task: { status: task.status, started } };
    },

    async deleteOrderData({ merchantId, orderId, taskIds, documents }) {
      for (const { documentId, objectKey } of documents) {
        await store.releaseAndDelete(merchantId, documentId, orderId, objectKey);
      }
      await store.removePrefix(storageKeys.orderResults(merchantId, orderId));
      // The read model last: while documents remain, the order is still visible and a retry can find its way.
      await orders.deleteOrder(merchantId, orderId, taskIds);
    },
  };
}
