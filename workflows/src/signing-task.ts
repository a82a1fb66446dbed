import {
  ERROR_TYPES,
  ORDER_MESSAGES,
  TASK_EVENT_TYPES,
  type SignerAction,
  type SignerActionResult,
  type SigningTaskInput,
  type TaskEvent,
  type TaskOutcome,
  type TaskStatus,
  type TaskTrigger,
  type SealDocumentResult,
} from '@esign/temporal-contracts';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineSignal,
  defineUpdate,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { conditionUntil, orderActivities, sealingActivities } from './order/activities.js';
import { checkAction, documentProgress, eventsFor, finalStatusOf } from './order/signer-actions.js';
import { notifyTask } from './notify/start.js';
import { archiveActivities } from './packaging-task.js';

// Patch marker: before it, a task completed only on an explicit COMPLETED action (see workflows/README.md). Tasks
// opened since `completesWithDocuments` was added carry the decision in their input and never write the marker.
const AUTO_COMPLETE = 'complete-when-every-document-is-done';

export const signerAction = defineUpdate<SignerActionResult, [SignerAction]>(ORDER_MESSAGES.SIGNER_ACTION);
export const deleteTask = defineSignal(ORDER_MESSAGES.DELETE_TASK);

/**
 * One task of an order, open to its signer: signer actions arrive as validated updates and are answered once
 * recorded; the task ends on COMPLETED or REJECTED, at its expiry time (EXPIRED) or when its order deletes it
 * (DELETED). Once started, the task records its own statuses and events; the order only reads the outcome.
 */
export async function signingTask(input: SigningTaskInput): Promise<TaskOutcome> {
  let status: TaskStatus = 'CREATED';
  // Set while a finishing action is being recorded: no other action, expiry or deletion may overtake it.
  let finishing = false;
  let started = false;
  let deleteRequested = false;
  let seq = 0;
  const progress = documentProgress(input.documentActions);
  // Recording is chained so events reach the read model in the order the workflow accepted them.
  let recording: Promise<void> = Promise.resolve();
  // Notification starts in flight; the task ends only once each has started (they then run on their own).
  const notifying: Promise<void>[] = [];
  // Results sealed by this task, by document id: what goes to the archive once the task is COMPLETED.
  const sealed = new Map<string, SealDocumentResult>();
  const scope = { merchantId: input.merchantId, orderId: input.orderId, settings: input.notify };
  const notify = (trigger: TaskTrigger) => {
    if (input.notifications) notifying.push(notifyTask(scope, input.taskId, input.notifications, trigger));
  };
  notify('CREATED');

  const record = (events: TaskEvent[], next?: TaskStatus) => {
    const at = new Date().toISOString();
    const change = { taskId: input.taskId, at, events: events.map((e) => ({ ...e, eventId: `task-${++seq}` })) };
    const done = recording.then(() =>
      orderActivities.recordTaskStatus({
        merchantId: input.merchantId,
        orderId: input.orderId,
        changes: [next ? { ...change, status: next } : change],
      }),
    );
    recording = done;
    return done;
  };

  setHandler(
    signerAction,
    async (action) => {
      if (action.type === 'SIGNED' && action.seal) {
        const { merchantId, orderId, taskId } = input;
        const signedAt = new Date().toISOString();
        const result = await sealingActivities.sealDocument({
          merchantId,
          orderId,
          taskId,
          documentId: action.documentId,
          signedAt,
          ...action.seal,
        });
        sealed.set(action.documentId, result);
        // Another action may have ended the task while the document was being sealed.
        if (status !== 'CREATED' || finishing) {
          throw ApplicationFailure.create({ type: ERROR_TYPES.CONFLICT, message: `the task is ${status}` });
        }
      }
      const at = new Date().toISOString();
      const events = eventsFor(action, at, started);
      let next = finalStatusOf(action);
      if (!next && progress.completes(action) && (input.completesWithDocuments || patched(AUTO_COMPLETE))) {
        next = 'COMPLETED';
        events.push({ eventType: TASK_EVENT_TYPES.COMPLETED, eventTime: at });
      }
      if (next) finishing = true;
      if (action.type === 'STARTED') started = true;
      if (events.length > 0 || next) await record(events, next);
      if (next) status = next;
      if (action.type === 'STARTED' && events.length > 0) notify('STARTED');
      if (next) notify(next);
      return { taskStatus: status };
    },
    {
      validator: (action) => {
        if (status !== 'CREATED' || finishing) {
          throw ApplicationFailure.create({ type: ERROR_TYPES.CONFLICT, message: `the task is ${status}` });
        }
        checkAction(action, input.documentIds);
        // A second open adds nothing: refused by the validator, it leaves no trace in the history (a link opened
        // thousands of times by a scanner must not grow the workflow toward Temporal's history limit).
        if (action.type === 'STARTED' && started) {
          throw ApplicationFailure.create({ type: ERROR_TYPES.CONFLICT, message: 'the task was opened already' });
        }
      },
    },
  );
  setHandler(deleteTask, () => {
    deleteRequested = true;
  });

  await conditionUntil(() => status !== 'CREATED' || deleteRequested, input.expiresAt);
  // A finishing action accepted before the timer fired or the deletion arrived wins.
  await condition(() => !finishing || status !== 'CREATED');
  if (status === 'CREATED') {
    status = deleteRequested ? 'DELETED' : 'EXPIRED';
    // An expiry happens at the contractual time, not when the timer's workflow task ran (a few ms later).
    const eventTime = status === 'EXPIRED' ? input.expiresAt : new Date().toISOString();
    await record([{ eventType: TASK_EVENT_TYPES.INTERNAL, eventTime, data: `TASK_${status}` }], status);
    if (status === 'EXPIRED') notify('EXPIRED');
  }
  await condition(allHandlersFinished);
  await Promise.all(notifying);
  const ended = status as TaskStatus; // set by the update handler too, which narrowing cannot see
  if (ended === 'COMPLETED' && input.archiveDocuments?.length) await archiveResults(input, sealed);
  return { taskId: input.taskId, status: status as TaskOutcome['status'] };
}

/** `sendResultToArchive` (contract §8): each sealed result of the task is copied into the archive and its id recorded. */
async function archiveResults(input: SigningTaskInput, sealed: Map<string, SealDocumentResult>): Promise<void> {
  const { merchantId, orderId, taskId } = input;
  for (const documentId of input.archiveDocuments ?? []) {
    const result = sealed.get(documentId);
    if (!result) continue; // not sealed here (e.g. uploaded by the signer): nothing of ours to archive
    const { archiveId } = await archiveActivities.sendResultToArchive({
      merchantId,
      source: { kind: 'document', orderId, taskId, documentId },
      objectKey: result.objectKey,
      contentType: 'application/pdf',
      sha256: result.sha256,
    });
    await orderActivities.recordArchived({ merchantId, orderId, taskId, documentId, archiveId });
  }
}
