import {
  ERROR_TYPES,
  own,
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
    case 'AUTHENTICATION_CANCELLED':
      if (!text(a.method, 100)) invalid(`${a.type} needs a method`);
      return;
    case 'REJECTED':
      if (a.reason !== undefined && !text(a.reason)) invalid('a rejection reason must be 1-1000 characters');
      return;
    case 'VIEWED':
    case 'SIGNED':
    case 'UPLOADED':
      if (!text(a.documentId, 128)) invalid(`${a.type} needs a documentId`);
      if (documentIds && !documentIds.includes(a.documentId as string)) invalid('no such document in this task');
      if (a.type === 'SIGNED' && a.seal !== undefined) checkSeal(a.seal);
      if (a.type === 'SIGNED' && a.opened !== undefined) checkOpened(a.opened, documentIds);
      if (a.type === 'UPLOADED' && a.result !== undefined) checkUpload(a.result);
      return;
    case 'REFUSED':
      if (!text(a.reason)) invalid('REFUSED needs a reason of 1-1000 characters');
      return;
    case 'FORWARDED':
      checkForward(a.forward);
      checkInvitation(a.invitation);
      return;
    default:
      invalid('unknown signer action type');
  }
}

function checkOpened(opened: unknown, documentIds: string[] | undefined): void {
  if (!Array.isArray(opened) || opened.some((id) => !text(id, 128))) invalid('opened must list document ids');
  if (documentIds && opened.some((id) => !documentIds.includes(id as string))) invalid('no such document in this task');
}

const SIGNATURE_TYPES = ['AUTHENTICATION_BASED', 'SIGNED_STATEMENT'];
const MAX_HANDWRITTEN_BASE64 = Math.ceil((200 * 1024 * 4) / 3);

function checkSeal(seal: unknown): void {
  const s = (seal ?? {}) as Record<string, unknown>;
  const e = (s.evidence ?? {}) as Record<string, unknown>;
  if (!SIGNATURE_TYPES.includes(s.signatureType as string)) invalid('seal.signatureType is unknown');
  for (const field of ['signerName', 'method', 'authenticatedAt', 'ip', 'userAgent']) {
    if (typeof e[field] !== 'string') invalid(`seal.evidence.${field} must be a string`);
  }
  if (typeof e.claims !== 'object' || e.claims === null) invalid('seal.evidence.claims must be an object');
  if (e.handwritten !== undefined && e.handwritten !== 'drawn' && e.handwritten !== 'typed') {
    invalid('seal.evidence.handwritten must be drawn or typed');
  }
  // The task's signText and up to 100 documents' signTextEntry, 10,000 characters each, with the documents' names.
  if (e.statement !== undefined && !text(e.statement, 1_100_000)) invalid('seal.evidence.statement is invalid');
  if (s.signedStatement !== undefined && !text(s.signedStatement, 64 * 1024))
    invalid('seal.signedStatement is invalid');
  if (s.statementProof !== undefined && !text(s.statementProof, 64 * 1024)) invalid('seal.statementProof is invalid');
  if (s.handwrittenPng !== undefined && !text(s.handwrittenPng, MAX_HANDWRITTEN_BASE64)) {
    invalid('seal.handwrittenPng must be a PNG of at most 200 KiB in base64');
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const optional = (v: unknown, pattern: RegExp) => v === undefined || (text(v, 254) && pattern.test(v as string));

function checkForward(forward: unknown): void {
  const f = (forward ?? {}) as Record<string, unknown>;
  if (!text(f.forwarderName, 200)) invalid('forward.forwarderName must be 1-200 characters');
  if (!text(f.recipientName, 200)) invalid('forward.recipientName must be 1-200 characters');
  if (!optional(f.forwarderEmail, EMAIL)) invalid('forward.forwarderEmail must be an e-mail address');
  if (!optional(f.recipientEmail, EMAIL)) invalid('forward.recipientEmail must be an e-mail address');
  if (!optional(f.recipientMobile, E164)) invalid('forward.recipientMobile must be an E.164 number');
  if (f.recipientEmail === undefined && f.recipientMobile === undefined) {
    invalid("a forward needs the recipient's e-mail address or mobile number");
  }
}

function checkInvitation(invitation: unknown): void {
  const i = (invitation ?? {}) as Record<string, unknown>;
  if (!text(i.header, 1000) || !text(i.message, 10_000)) invalid('invitation needs a header and a message');
  if (i.template !== undefined && (typeof i.template !== 'object' || i.template === null)) {
    invalid('invitation.template must be an object');
  }
}

const UPLOAD_TYPES = ['application/pdf', 'text/plain'];

function checkUpload(upload: unknown): void {
  const u = (upload ?? {}) as Record<string, unknown>;
  if (!text(u.objectKey, 512)) invalid('result.objectKey must be a string');
  if (!UPLOAD_TYPES.includes(u.contentType as string)) invalid('result.contentType must be a PDF or text');
  if (typeof u.size !== 'number' || !Number.isInteger(u.size) || u.size < 1) invalid('result.size is invalid');
  if (typeof u.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(u.sha256)) invalid('result.sha256 is invalid');
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
    case 'AUTHENTICATION_CANCELLED':
      return event(TASK_EVENT_TYPES.AUTHENTICATION_CANCELLED, action.method);
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
    case 'REFUSED':
      return event(TASK_EVENT_TYPES.ERROR, action.reason);
    case 'FORWARDED':
      // The forward's details are personal data: /forwards serves them, the event only counts.
      return event(TASK_EVENT_TYPES.FORWARDED);
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
      const wanted = own(actions, action.documentId);
      if (!wanted || DONE_BY[wanted] !== action.type || done.has(action.documentId)) return false;
      done.add(action.documentId);
      return Object.keys(actions).every((id) => done.has(id));
    },
  };
}
