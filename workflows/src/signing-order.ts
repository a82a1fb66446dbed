import {
  addDays,
  ids,
  ORDER_MESSAGES,
  type ClaimedUpload,
  type CreationResult,
  type OrderStateView,
  type OrderStatus,
  type SigningOrderInput,
  type SigningOrderOutcome,
} from '@esign/temporal-contracts';
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  executeChild,
  setHandler,
} from '@temporalio/workflow';
import { conditionUntil, orderActivities as storage } from './order/activities.js';
import { setOrderStatusAttribute, upsertStartAttributes } from './order/attributes.js';
import { TaskRunner } from './order/task-runner.js';
import { notifyOrderCompleted } from './notify/start.js';
import { packagingTask } from './packaging-task.js';

export const confirmCreation = defineUpdate<CreationResult>(ORDER_MESSAGES.CONFIRM_CREATION);
export const cancelOrder = defineUpdate<void>(ORDER_MESSAGES.CANCEL_ORDER);
export const orderState = defineQuery<OrderStateView>(ORDER_MESSAGES.STATE);

/**
 * One signing order from creation to deletion: claims its uploads, records the read model, runs a `signingTask`
 * child per task as its dependencies allow, expires tasks that never opened, and deletes the order's documents and
 * read model `daysUntilDeletion` days after the latest task expiry, or at once when the merchant cancels it.
 */
export async function signingOrder(input: SigningOrderInput): Promise<SigningOrderOutcome> {
  const { orderId, merchantId } = input;
  const runner = new TaskRunner(input);
  let status: OrderStatus = 'ACTIVE';
  let deleteAt: string | undefined;
  let creation: CreationResult | undefined;
  let cancelRequested = false;
  let deleted = false;

  // Handlers first, so an update delivered with the start (update-with-start) finds them.
  setHandler(confirmCreation, async () => {
    await condition(() => creation !== undefined);
    return creation!;
  });
  setHandler(cancelOrder, async () => {
    cancelRequested = true;
    await condition(() => deleted);
  });
  setHandler(orderState, () => ({
    orderId,
    status,
    tasks: runner.view(),
    ...(deleteAt ? { deleteAt } : {}),
  }));

  // The gateway claims the uploads and records the order before it starts this workflow; orders started before it
  // did (their histories carry no `claimed`) claim and record here, answering the update-with-start.
  const claims = input.claimed
    ? { claimed: input.claimed, missingDocumentRefs: [] }
    : await storage.claimAndRecordOrder({ order: input, expiresAt: runner.expiresAt() });
  if (claims.missingDocumentRefs.length > 0) {
    creation = { created: false, missingDocumentRefs: claims.missingDocumentRefs };
    deleted = true; // nothing was written: a cancellation has nothing to wait for
    await condition(allHandlersFinished);
    return creation;
  }
  upsertStartAttributes(input);
  creation = { created: true };

  // Each packaging task runs once every task it names has ended (none: no command at all).
  const packaging = (input.packaging ?? []).map(async (plan) => {
    const named = [...new Set(plan.documents.map((d) => d.taskId))];
    const ended = () => named.every((t) => runner.statusOf(t) !== 'CREATED');
    await condition(() => cancelRequested || ended());
    if (cancelRequested) return;
    await executeChild(packagingTask, {
      workflowId: ids.packaging(orderId, plan.packagingTaskId),
      args: [
        {
          merchantId,
          orderId,
          plan,
          taskStatuses: Object.fromEntries(named.map((t) => [t, runner.statusOf(t)!])),
          ...(input.notify ? { notify: input.notify } : {}),
        },
      ],
    });
  });

  await runner.run(() => cancelRequested);
  // Packages are made (or failed) before the order counts as ended, and before anything is deleted.
  if (packaging.length > 0) await Promise.all(packaging);
  if (!cancelRequested) {
    status = runner.allCompleted() ? 'COMPLETED' : 'ENDED';
    deleteAt = addDays(runner.latestExpiry(), input.daysUntilDeletion);
    await storage.recordOrderStatus({ merchantId, orderId, status, deleteAt });
    setOrderStatusAttribute(status);
    if (status === 'COMPLETED') {
      await notifyOrderCompleted(
        { merchantId, orderId, settings: input.notify },
        runner.taskIds(),
        input.notifications,
      );
    }
    await conditionUntil(() => cancelRequested, deleteAt);
  } else {
    await runner.deleteOpenTasks();
  }

  await storage.deleteOrderData({
    merchantId,
    orderId,
    taskIds: runner.taskIds(),
    documents: documentsOf(claims.claimed),
  });
  const outcome: SigningOrderOutcome = {
    created: true,
    status: cancelRequested ? 'DELETED' : status,
    tasks: runner.outcomes(),
  };
  status = 'DELETED';
  setOrderStatusAttribute(status);
  deleted = true;
  await condition(allHandlersFinished);
  return outcome;
}

const documentsOf = (claimed: ClaimedUpload[]) =>
  claimed.map(({ documentId, objectKey }) => ({ documentId, objectKey }));
