import {
  ERROR_TYPES,
  MAX_FORWARDS_PER_TASK,
  ORDER_MESSAGES,
  TASK_EVENT_TYPES,
  type SignerAction,
  type SignerActionResult,
  type SigningTaskInput,
  type TaskEvent,
  type TaskOutcome,
  type TaskStateView,
  type TaskStatus,
  type TaskTrigger,
  type DocumentResultRecord,
  type TaskChange,
  unopenedDocuments,
} from '@esign/temporal-contracts';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { conditionUntil, orderActivities, sealingActivities } from './order/activities.js';
import { checkAction, documentProgress, eventsFor, finalStatusOf } from './order/signer-actions.js';
import { notifyForwarded, notifyTask } from './notify/start.js';
import { sealFailureReason } from './order/seal-failure.js';
import { endedEvent, signCancelledEvents } from './order/ending-events.js';
import { archiveActivities } from './packaging-task.js';

// Patch marker: before it, a task completed only on an explicit COMPLETED action (see workflows/README.md). Tasks
// opened since `completesWithDocuments` was added carry the decision in their input and never write the marker.
const AUTO_COMPLETE = 'complete-when-every-document-is-done';

export const signerAction = defineUpdate<SignerActionResult, [SignerAction]>(ORDER_MESSAGES.SIGNER_ACTION);
export const deleteTask = defineSignal(ORDER_MESSAGES.DELETE_TASK);
export const taskState = defineQuery<TaskStateView>(ORDER_MESSAGES.TASK_STATE);

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
  // How often the task was handed to another signer: each forward gives it a new sign code.
  let forwards = 0;
  const progress = documentProgress(input.documentActions);
  // Documents the signer has opened (VIEWED, whatever their action): signing waits for every one (opening rule).
  const opened = new Set<string>();
  // Documents signed so far: those left unsigned when the task ends otherwise are DOCUMENT_SIGN_CANCELLED.
  const signed = new Set<string>();
  // Recording is chained so events reach the read model in the order the workflow accepted them.
  let recording: Promise<void> = Promise.resolve();
  // Notification starts in flight; the task ends only once each has started (they then run on their own).
  const notifying: Promise<void>[] = [];
  // Results of this task (sealed, or uploaded by the signer), by document id: what goes to the archive once the task
  // is COMPLETED.
  const results = new Map<string, DocumentResultRecord>();
  const scope = { merchantId: input.merchantId, orderId: input.orderId, settings: input.notify };
  const notify = (trigger: TaskTrigger) => {
    if (input.notifications) {
      notifying.push(notifyTask(scope, input.taskId, input.notifications, trigger, { holder: forwards }));
    }
  };
  // What a delayed notification of this task asks when its delay has passed (even once the task has closed).
  setHandler(taskState, () => ({ status, started, forwards }));
  notify('CREATED');

  const record = (
    events: TaskEvent[],
    next?: TaskStatus,
    documentResults?: TaskChange['results'],
    forward?: TaskChange['forward'],
  ) => {
    const at = new Date().toISOString();
    const change: TaskChange = {
      taskId: input.taskId,
      at,
      events: events.map((e) => ({ ...e, eventId: `task-${++seq}` })),
      ...(documentResults ? { results: documentResults } : {}),
      ...(forward ? { forward } : {}),
    };
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
      if (action.type === 'FORWARDED') {
        // Counted before anything awaits: a second forward accepted meanwhile gets the next number.
        const index = ++forwards;
        await record(eventsFor(action, new Date().toISOString(), started), undefined, undefined, {
          index,
          details: action.forward,
        });
        notifying.push(notifyForwarded(scope, input.taskId, input.notifications, index, action));
        return { taskStatus: status };
      }
      let result: DocumentResultRecord | undefined;
      if (action.type === 'SIGNED' && action.seal) {
        const { merchantId, orderId, taskId } = input;
        const signedAt = new Date().toISOString();
        let sealed;
        try {
          sealed = await sealingActivities.sealDocument({
            merchantId,
            orderId,
            taskId,
            documentId: action.documentId,
            signedAt,
            ...action.seal,
          });
        } catch (err) {
          // Only failures of types that did not exist before are recorded: older histories replay unchanged.
          const reason = sealFailureReason(err);
          if (reason)
            await record([{ eventType: TASK_EVENT_TYPES.ERROR, eventTime: new Date().toISOString(), data: reason }]);
          throw err;
        }
        const signer = { ...action.seal.evidence, signedAt };
        result = { ...sealed, contentType: 'application/pdf', at: new Date().toISOString(), signer };
        // Another action may have ended the task while the document was being sealed.
        if (status !== 'CREATED' || finishing) {
          throw ApplicationFailure.create({ type: ERROR_TYPES.CONFLICT, message: `the task is ${status}` });
        }
      }
      if (action.type === 'UPLOADED' && action.result) result = { ...action.result, at: new Date().toISOString() };
      const documentResults =
        result && 'documentId' in action ? [{ documentId: action.documentId, result }] : undefined;
      if (result && 'documentId' in action) results.set(action.documentId, result);
      const at = new Date().toISOString();
      // Documents opened before this signature, recorded with it (the opening rule needs them; one Update for both).
      const newlyOpened = action.type === 'SIGNED' ? (action.opened ?? []).filter((id) => !opened.has(id)) : [];
      const events = [
        ...newlyOpened.flatMap((documentId) => eventsFor({ type: 'VIEWED', documentId }, at, started)),
        ...eventsFor(action, at, started),
      ];
      const completes = [
        ...newlyOpened.map((documentId) => progress.completes({ type: 'VIEWED', documentId })),
        progress.completes(action),
      ].includes(true);
      for (const id of newlyOpened) opened.add(id);
      let next = finalStatusOf(action);
      if (next === 'REJECTED') events.push(...signCancelledEvents(input.documentActions, signed, at));
      if (!next && completes && (input.completesWithDocuments || patched(AUTO_COMPLETE))) {
        next = 'COMPLETED';
        events.push({ eventType: TASK_EVENT_TYPES.COMPLETED, eventTime: at });
      }
      if (next) finishing = true;
      if (action.type === 'STARTED') started = true;
      if (action.type === 'VIEWED') opened.add(action.documentId);
      if (action.type === 'SIGNED') signed.add(action.documentId);
      if (events.length > 0 || next) await record(events, next, documentResults);
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
        if (action.type === 'FORWARDED' && forwards >= MAX_FORWARDS_PER_TASK) {
          throw ApplicationFailure.create({
            type: ERROR_TYPES.CONFLICT,
            message: `the task was forwarded ${forwards} times, the most it may be`,
          });
        }
        // A second open adds nothing: refused by the validator, it leaves no trace in the history (a link opened
        // thousands of times by a scanner must not grow the workflow toward Temporal's history limit).
        if (action.type === 'STARTED' && started) {
          throw ApplicationFailure.create({ type: ERROR_TYPES.CONFLICT, message: 'the task was opened already' });
        }
        if (action.type === 'SIGNED' && input.opensBeforeSigning && input.documentActions) {
          const unopened = unopenedDocuments(input.documentActions, [...opened, ...(action.opened ?? [])]);
          if (unopened.length > 0) {
            throw ApplicationFailure.create({
              type: ERROR_TYPES.CONFLICT,
              message: `documents not opened yet: ${unopened.join(', ')}`,
            });
          }
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
    await record(
      [endedEvent(status, eventTime), ...signCancelledEvents(input.documentActions, signed, eventTime)],
      status,
    );
    if (status === 'EXPIRED') notify('EXPIRED');
  }
  await condition(allHandlersFinished);
  await Promise.all(notifying);
  const ended = status as TaskStatus; // set by the update handler too, which narrowing cannot see
  if (ended === 'COMPLETED' && input.archiveDocuments?.length) await archiveResults(input, results);
  return { taskId: input.taskId, status: status as TaskOutcome['status'] };
}

/**
 * `sendResultToArchive` (contract §8): each result of the task — sealed, or the file its signer uploaded — is copied
 * into the archive and its id recorded.
 */
async function archiveResults(input: SigningTaskInput, results: Map<string, DocumentResultRecord>): Promise<void> {
  const { merchantId, orderId, taskId } = input;
  for (const documentId of input.archiveDocuments ?? []) {
    const result = results.get(documentId);
    if (!result) continue; // recorded by an earlier version of the portal, outside this task: not in its hands
    const { archiveId } = await archiveActivities.sendResultToArchive({
      merchantId,
      source: { kind: 'document', orderId, taskId, documentId },
      objectKey: result.objectKey,
      contentType: result.contentType,
      sha256: result.sha256,
    });
    await orderActivities.recordArchived({ merchantId, orderId, taskId, documentId, archiveId });
  }
}
