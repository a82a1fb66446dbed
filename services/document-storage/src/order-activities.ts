import type { DocumentStore } from '@esign/document-store';
import { claimAndRecord, signingUrlOf, type OrderStore } from '@esign/order-store';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import { packageDocuments } from './packaging.js';
import { sealDocument, type SealingDeps } from './sealing.js';
import { ids, own, portalLinks, storageKeys, TASK_EVENT_TYPES, type OrderActivities } from '@esign/temporal-contracts';

export interface OrderActivityDeps {
  store: DocumentStore;
  orders: OrderStore;
  /** Sealing signed documents; without it sealDocument fails (workers that only manage uploads and orders). */
  sealing?: Omit<SealingDeps, 'store' | 'orders'>;
  /** The signing portal's public URL (links in notifications) and the key sign codes are derived with. */
  config: { signingPortalUrl: string; signCodeSecret: string };
}

/** Whether a workflow with this id exists (running or closed), asked through the worker's own client. */
async function workflowExists(workflowId: string): Promise<boolean> {
  try {
    await Context.current().client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Activities of an order's lifecycle: claiming its uploads, writing its read model, deleting both. Every one is
 * idempotent, because Temporal retries an activity whose worker died after doing part of the work.
 */
export function createOrderActivities({ store, orders, config, sealing }: OrderActivityDeps): OrderActivities {
  return {
    claimAndRecordOrder({ order, expiresAt }) {
      return claimAndRecord({ uploads: store, orders, signCodeSecret: config.signCodeSecret }, order, expiresAt);
    },

    async settleCreations({ second }) {
      const counts = { started: 0, abandoned: 0 };
      for (const pending of await orders.pendingCreations(second)) {
        if (await workflowExists(ids.order(pending.orderId))) {
          counts.started++;
          continue;
        }
        // Never started (the gateway died, or the start failed): nothing else owns what the creation wrote.
        await orders.deleteOrder(pending.merchantId, pending.orderId, pending.taskIds);
        for (const documentId of pending.documentRefs) {
          await store.release(pending.merchantId, documentId, pending.orderId);
          // Its own expiry timer spared it while claimed: past its time, it expires now.
          const meta = await store.getMeta(pending.merchantId, documentId);
          if (meta && Date.parse(meta.expiresAt) <= Date.now()) {
            await store.expire(pending.merchantId, documentId, meta.objectKey);
          }
        }
        counts.abandoned++;
      }
      await orders.forgetCreations(second);
      return counts;
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
      const task = taskId ? own(order?.tasks, taskId) : undefined;
      if (!order || (taskId && !task)) return { exists: false };
      const signCode = taskId ? (own(order.signCodes, taskId) ?? '') : '';
      const placeholders = {
        orderId,
        clientRef: order.clientReference ?? '',
        taskUrl: taskId ? signingUrlOf(order, taskId, config.signingPortalUrl) : '',
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
