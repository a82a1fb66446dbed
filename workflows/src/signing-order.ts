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
  patched,
  setHandler,
} from '@temporalio/workflow';
import { conditionUntil, legacyActivities, orderActivities as storage } from './order/activities.js';
import { setOrderStatusAttribute, upsertStartAttributes } from './order/attributes.js';
import { TaskRunner } from './order/task-runner.js';
import { notifyOrderCompleted } from './notify/start.js';
import { stopDeliveries } from './notify/stop.js';
import { packagingTask } from './packaging-task.js';

export const confirmCreation = defineUpdate<CreationResult>(ORDER_MESSAGES.CONFIRM_CREATION);
export const cancelOrder = defineUpdate<void>(ORDER_MESSAGES.CANCEL_ORDER);
export const orderState = defineQuery<OrderStateView>(ORDER_MESSAGES.STATE);

// Patch marker: orders deleted before it left their pending deliveries to find the order gone on their own.
const STOP_DELIVERIES = 'stop-deliveries-on-deletion';

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

  const first = await firstStep(input, runner.expiresAt());
  if (first.missingDocumentRefs.length > 0) {
    creation = { created: false, missingDocumentRefs: first.missingDocumentRefs };
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

  // Nothing more goes out for a deleted order: pending deliveries and their retries stop before the data goes.
  if (patched(STOP_DELIVERIES)) await stopDeliveries(input);
  await storage.deleteOrderData({
    merchantId,
    orderId,
    taskIds: runner.taskIds(),
    documents: documentsOf(first.claimed),
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

/**
 * The order's first step, by how its creation was made (its input says, so every history replays): now the creation
 * has reserved the uploads and this copies them and records the read model (`recordOrder`); orders created before
 * that came with their read model written and uploads claimed by the gateway (`claimed`, released at deletion);
 * older ones, started by update-with-start, claimed and recorded here (`claimAndRecordOrder`).
 */
async function firstStep(
  input: SigningOrderInput,
  expiresAt: Record<string, string>,
): Promise<{ claimed: ClaimedUpload[]; missingDocumentRefs: string[] }> {
  if (input.uploads) {
    const recorded = await storage.recordOrder({ order: input });
    return { claimed: [], missingDocumentRefs: recorded.created ? [] : recorded.missingDocumentRefs };
  }
  if (input.claimed) return { claimed: input.claimed, missingDocumentRefs: [] };
  return legacyActivities.claimAndRecordOrder({ order: input, expiresAt });
}

const documentsOf = (claimed: ClaimedUpload[]) =>
  claimed.map(({ documentId, objectKey }) => ({ documentId, objectKey }));
