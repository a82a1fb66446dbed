import { TASK_EVENT_TYPES, type DocumentAction, type TaskEvent } from '@esign/temporal-contracts';

/**
 * DOCUMENT_SIGN_CANCELLED for each document the task was to sign and did not: written when the task ends other than
 * COMPLETED (rejected, expired, deleted), so the merchant reads per document that its signature will not come.
 * Without document actions (orders before they were planned) nothing is known to be unsigned.
 */
export function signCancelledEvents(
  actions: Record<string, DocumentAction> | undefined,
  signed: ReadonlySet<string>,
  at: string,
): TaskEvent[] {
  return Object.entries(actions ?? {})
    .filter(([documentId, action]) => action === 'SIGN' && !signed.has(documentId))
    .map(([documentId]) => ({ eventType: TASK_EVENT_TYPES.SIGN_CANCELLED, eventTime: at, data: documentId }));
}

/** The event of a task's expiry or deletion: its own type (the API shows it to v1 clients as INTERNAL). */
export const endedEvent = (status: 'EXPIRED' | 'DELETED', at: string): TaskEvent => ({
  eventType: status === 'EXPIRED' ? TASK_EVENT_TYPES.EXPIRED : TASK_EVENT_TYPES.DELETED,
  eventTime: at,
});
