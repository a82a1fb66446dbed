import { z } from 'zod';
import { model } from './registry.js';

// Enum values are exact (contract §4–§6, facts §3): existing clients send and expect these spellings.
export const LANGUAGES = [
  'ca',
  'da',
  'nl',
  'en',
  'et',
  'fo',
  'fi',
  'fr',
  'de',
  'kl',
  'it',
  'nb',
  'nn',
  'es',
  'sv',
] as const;
export const DEFAULT_LANGUAGE = 'en';
export const DOCUMENT_ACTIONS = ['SIGN', 'VIEW', 'UPLOAD'] as const;
export const DOCUMENT_SOURCES = ['SESSION', 'UPLOAD'] as const;
export const SIGNATURE_METHOD_TYPES = ['AUTHENTICATION_BASED', 'SIGNED_STATEMENT', 'THIRD_PARTY'] as const;
export const NOTIFICATION_TYPES = ['SMS', 'EMAIL', 'URL'] as const;
export const TASK_TRIGGER_STATUSES = ['CREATED', 'STARTED', 'COMPLETED', 'REJECTED', 'EXPIRED', 'FORWARDED'] as const;
export const PACKAGING_TRIGGER_STATUSES = ['CREATED', 'COMPLETED'] as const;
export const TASK_STATUSES = ['CREATED', 'COMPLETED', 'REJECTED', 'EXPIRED', 'DELETED'] as const;
export const PACKAGING_TASK_STATUSES = ['CREATED', 'COMPLETED', 'FAILED'] as const;
export const PACKAGING_METHODS = ['pades'] as const;
export const UPLOAD_MEDIA_TYPES = ['application/pdf', 'text/plain'] as const;
export const EVENT_TYPES = [
  'TASK_CREATED',
  'NOTIFICATION_SENT',
  'TASK_STARTED',
  'TASK_REJECTED',
  'TASK_COMPLETED',
  'ERROR',
  'DOCUMENT_UPLOADED',
  'DOCUMENT_SIGNED',
  'DOCUMENT_VIEWED',
  'DOCUMENT_SIGN_CANCELLED',
  'DOCUMENT_DELETED',
  'USER_AUTHENTICATED',
  'USER_AUTHENTICATION_CANCELLED',
  'PACKAGING_TASK_CREATED',
  'PACKAGING_TASK_COMPLETED',
  'PACKAGING_TASK_FAILED',
  'INTERNAL',
] as const;
/**
 * Extension: expiry and deletion of a task have types of their own here. v1 has none for them and its SDK refuses a
 * type it does not know, so they are sent only to a client that asks (`?eventTypes=extended`); others get INTERNAL.
 */
export const EXTENSION_EVENT_TYPES = ['TASK_EXPIRED', 'TASK_DELETED', 'TASK_FORWARDED'] as const;

function named<const T extends readonly [string, ...string[]]>(values: T, id: string, description: string) {
  return model(z.enum(values), id, description);
}

export const Language = named(LANGUAGES, 'Language', 'Language of the signing interface and notifications.');
export const DocumentAction = named(DOCUMENT_ACTIONS, 'DocumentAction', 'What the signer does with the document.');
export const DocumentSource = named(
  DOCUMENT_SOURCES,
  'DocumentSource',
  '`SESSION`: `documentRef` names an upload from `POST /documents`; `UPLOAD`: the signer supplies the document.',
);
export const SignatureMethodType = named(SIGNATURE_METHOD_TYPES, 'SignatureMethodType', 'Kind of signature made.');
export const NotificationType = named(NOTIFICATION_TYPES, 'NotificationType', 'Channel of a notification.');
export const TaskTriggerStatus = named(
  TASK_TRIGGER_STATUSES,
  'TaskTriggerStatus',
  'Task state that triggers a notification; `STARTED` means the signer first opened the task.',
);
export const PackagingTriggerStatus = named(
  PACKAGING_TRIGGER_STATUSES,
  'PackagingTriggerStatus',
  'Packaging task state that triggers a notification.',
);
export const TaskStatus = named(TASK_STATUSES, 'TaskStatus', 'State of a signing task.');
export const PackagingTaskStatus = named(PACKAGING_TASK_STATUSES, 'PackagingTaskStatus', 'State of a packaging task.');
export const EventType = named(
  [...EVENT_TYPES, ...EXTENSION_EVENT_TYPES],
  'EventType',
  'Kind of event recorded on a task. `TASK_EXPIRED`, `TASK_DELETED` and `TASK_FORWARDED` are extensions, sent only with ' +
    '`eventTypes=extended` (otherwise such an event is `INTERNAL` with its type as `data`).',
);

const V1_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * An event as a v1 client parses it: a type v1 does not know becomes INTERNAL, with the type (and its data) as `data`
 * — what this server sent for expiry and deletion before they had types of their own.
 */
export function v1Event<E extends { eventType: string; data?: string }>(event: E): E {
  if (V1_EVENT_TYPES.has(event.eventType)) return event;
  const data = event.data ? `${event.eventType}: ${event.data}` : event.eventType;
  return { ...event, eventType: 'INTERNAL', data };
}

export type LanguageCode = (typeof LANGUAGES)[number];
export type NotificationTypeName = (typeof NOTIFICATION_TYPES)[number];
export type TaskStatusName = (typeof TASK_STATUSES)[number];
