import {
  ERROR_TYPES,
  TASK_EVENT_TYPES,
  type DocumentAction,
  type SignerAction,
  type TaskEvent,
} from '@esign/temporal-contracts';
import { ApplicationFailure } from '@temporalio/workflow';

const MAX_TEXT = 1000;

function invalid(message: string): never {
  throw ApplicationFailure.create({ type: ERROR_TYPES.VALIDATION, message, nonRetryable: true });
}

const text = (v: unknown, max = MAX_TEXT) => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Rejects anything that is not a well-formed SignerAction for this task (the portal is trusted, its input less so). */
export function checkAction(action: unknown, documentIds: string[] | undefined): asserts action is SignerAction {
  if (typeof action !== 'object' || action === null) invalid('a signer action must be an object');
  const a = action as Record<string, unknown>;
  switch (a.type) {
    case 'STARTED':
    case 'COMPLETED':
      return;
    case 'AUTHENTICATED':
      if (!text(a.method, 100)) invalid('AUTHENTICATED needs a method');
      return;
    case 'REJECTED':
      if (a.reason !== undefined && !text(a.reason)) invalid('a rejection reason must be 1-1000 characters');
      return;
    case 'VIEWED':
    case 'SIGNED':
    case 'UPLOADED':
      if (!text(a.documentId, 128)) invalid(`${a.type} needs a documentId`);
      if (documentIds && !documentIds.includes(a.documentId as string)) invalid('no such document in this task');
      return;
    default:
      invalid('unknown signer action type');
  }
}

/** The events an action adds to the task's history; STARTED counts only the first time. */
export function eventsFor(action: SignerAction, at: string, alreadyStarted: boolean): TaskEvent[] {
  const event = (eventType: string, data?: string): TaskEvent[] => [
    { eventType, eventTime: at, ...(data !== undefined ? { data } : {}) },
  ];
  switch (action.type) {
    case 'STARTED':
      return alreadyStarted ? [] : event(TASK_EVENT_TYPES.STARTED);
    case 'AUTHENTICATED':
      return event(TASK_EVENT_TYPES.AUTHENTICATED, action.method);
    case 'VIEWED':
      return event(TASK_EVENT_TYPES.VIEWED, action.documentId);
    case 'SIGNED':
      return event(TASK_EVENT_TYPES.SIGNED, action.documentId);
    case 'UPLOADED':
      return event(TASK_EVENT_TYPES.UPLOADED, action.documentId);
    case 'REJECTED':
      return event(TASK_EVENT_TYPES.REJECTED, action.reason);
    case 'COMPLETED':
      return event(TASK_EVENT_TYPES.COMPLETED);
  }
}

/** The status an action ends the task in, if it ends it. */
export function finalStatusOf(action: SignerAction): 'COMPLETED' | 'REJECTED' | undefined {
  if (action.type === 'COMPLETED') return 'COMPLETED';
  if (action.type === 'REJECTED') return 'REJECTED';
  return undefined;
}

const DONE_BY: Record<DocumentAction, SignerAction['type']> = { SIGN: 'SIGNED', VIEW: 'VIEWED', UPLOAD: 'UPLOADED' };

/**
 * Tracks which documents the signer has dealt with as their action asks; `completes` is true for the action that
 * finishes the last one. Without document actions (older orders) nothing completes implicitly.
 */
export function documentProgress(actions: Record<string, DocumentAction> | undefined) {
  const done = new Set<string>();
  return {
    completes(action: SignerAction): boolean {
      if (!actions || !('documentId' in action)) return false;
      const wanted = actions[action.documentId];
      if (!wanted || DONE_BY[wanted] !== action.type || done.has(action.documentId)) return false;
      done.add(action.documentId);
      return Object.keys(actions).every((id) => done.has(id));
    },
  };
}
