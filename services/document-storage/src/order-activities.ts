import type { DocumentStore } from '@esign/document-store';
import { newOrderRecord, signCodeOf, type CreationReservations, type OrderStore } from '@esign/order-store';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  ids,
  ORDER_MESSAGES,
  own,
  TASK_EVENT_TYPES,
  type OrderActivities,
  type TaskStateView,
} from '@esign/temporal-contracts';
import type { OrderKeyStore } from '@esign/payload-codec';
import { storageKeys } from '@esign/storage-keys';
import { fillOrderForms } from './fill-forms.js';
import { stopDeliveries } from './order-deletion.js';

export interface OrderActivityDeps {
  store: DocumentStore;
  orders: OrderStore;
  /** The creation's reservations, which the order's first activity consumes once it has recorded the order. */
  reservations: CreationReservations;
  /** Orders' payload data keys, destroyed once an order's data is gone (crypto-shredding). */
  orderKeys: Pick<OrderKeyStore, 'destroy'>;
  /**
   * The signing portal's public URL (links in notifications), the key sign codes are derived with, and how long an
   * order's payload key outlives its deletion (its workflows finish and may replay until then).
   */
  config: {
    signingPortalUrl: string;
    signCodeSecret: string;
    payloads: { orderKeyDeleteDelaySeconds: number };
  };
}

/**
 * Activities of an order's lifecycle: taking over its uploads, writing its read model, deleting both. Every one is
 * idempotent, because Temporal retries an activity whose worker died after doing part of the work.
 */
export function createOrderActivities(deps: OrderActivityDeps): OrderActivities {
  const { store, orders, reservations, config, orderKeys } = deps;
  return {
    async recordOrder({ order }) {
      const missing: string[] = [];
      for (const upload of order.uploads ?? []) {
        const copy = storageKeys.orderDocument(order.merchantId, order.orderId, upload.documentId);
        if (!(await store.copyInto(upload, copy))) missing.push(upload.documentId);
      }
      // Only if the creation's reservations lapsed before this ran (workers down that long): nothing is recorded.
      if (missing.length > 0) return { created: false, missingDocumentRefs: missing };
      const filled = await fillOrderForms(store, order);
      const { record, firstEvents } = newOrderRecord(
        order,
        order.uploads ?? [],
        config.signCodeSecret,
        'order',
        filled,
      );
      await orders.recordOrder(record, firstEvents);
      // Recorded: the creation's reservations are consumed (the read model answers reads from now on).
      await reservations.confirm(
        record,
        (order.uploads ?? []).map((u) => u.documentId),
      );
      return { created: true };
    },

    async recordTaskStatus({ merchantId, orderId, changes }) {
      for (const change of changes) {
        for (const { documentId, result } of change.results ?? []) {
          await orders.setDocumentResult(merchantId, orderId, change.taskId, documentId, result);
        }
        if (change.forward) {
          const { index, details } = change.forward;
          const code = (n: number) => signCodeOf(config.signCodeSecret, merchantId, orderId, change.taskId, n);
          await orders.recordForward(
            { merchantId, orderId, taskId: change.taskId },
            index,
            {
              ...details,
              at: change.at,
            },
            { previous: code(index - 1), next: code(index) },
          );
        }
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

    async recordPackaging({ merchantId, orderId, packagingTaskId, record, events }) {
      for (const { taskId, eventId, ...event } of events) {
        await orders.appendEvent(merchantId, orderId, taskId, eventId, event);
      }
      await orders.setPackaging(merchantId, orderId, packagingTaskId, record);
    },

    async recordArchived({ merchantId, orderId, taskId, documentId, archiveId }) {
      await orders.setArchived(merchantId, orderId, taskId, documentId, archiveId);
    },

    async taskState({ orderId, taskId }) {
      try {
        return await Context.current()
          .client.workflow.getHandle(ids.task(orderId, taskId))
          .query<TaskStateView>(ORDER_MESSAGES.TASK_STATE);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { status: 'DELETED', started: false, forwards: 0 };
        throw err;
      }
    },

    async readNotificationContext({ merchantId, orderId, taskId }) {
      const order = await orders.getOrder(merchantId, orderId);
      const task = taskId ? own(order?.tasks, taskId) : undefined;
      if (!order || (taskId && !task)) return { exists: false };
      // The signer's links are not among them: the notification worker reads those when it sends.
      const placeholders = { orderId, clientRef: order.clientReference ?? '' };
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
      await store.removePrefix(storageKeys.orderDocuments(merchantId, orderId));
      await store.removePrefix(storageKeys.signerUploads(merchantId, orderId));
      // The read model after the documents: while documents remain, the order is still visible and a retry can find
      // its way.
      await orders.deleteOrder(merchantId, orderId, taskIds);
      // Then what Temporal keeps of the order: its deliveries end, and its payload key is marked deleted (operators
      // read nothing of it from now on) and destroyed after the delay, which leaves every payload of its workflows
      // unreadable, in every copy of their histories (docs/operations.md, "Deletion").
      await stopDeliveries(Context.current().client, orderId);
      await orderKeys.destroy(orderId, config.payloads.orderKeyDeleteDelaySeconds);
    },
  };
}
