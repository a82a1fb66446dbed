// Messages and inputs of the signing-order workflows, shared by the gateway (starts, updates, queries), the signing
// portal (signer actions), the workflows and the activities. Plain data only.
import type { EmailTemplate, NotificationSpec, NotifySettings, TaskNotificationPlan } from './notifications.js';
import type { SealRequest } from './signing.js';
import type { PackagingTaskPlan } from './archive.js';
import type { SigningOrder } from '@esign/contracts';
import type { ClaimedUpload } from './activities.js';

export type TaskStatus = 'CREATED' | 'COMPLETED' | 'REJECTED' | 'EXPIRED' | 'DELETED';
export type OrderStatus = 'ACTIVE' | 'COMPLETED' | 'ENDED' | 'DELETED';

/** One task of an order as the workflows need it. */
export interface OrderTaskInput {
  taskId: string;
  dependsOnTasks: string[];
  /** Upload ids (`documentRef` of SESSION documents) of this task's documents, by the task's document id. */
  documents: Array<{ documentId: string; documentRef: string }>;
  /** Days after the order's creation the task expires unless finished. */
  daysToLive: number;
  /** ISO time the task expires: `daysToLive` after creation, planned once (absent in orders planned before). */
  expiresAt?: string;
  /** What the signer does with each of the task's documents, by document id (every document, any source). */
  documentActions?: Record<string, DocumentAction>;
  /** The task's notifications (absent when it has none). */
  notifications?: TaskNotificationPlan[];
  /** Documents with `sendResultToArchive` (absent when none). */
  archiveDocuments?: string[];
}

export type DocumentAction = 'SIGN' | 'VIEW' | 'UPLOAD';

export interface SigningOrderInput {
  orderId: string;
  merchantId: string;
  clientReference?: string;
  /** ISO time the gateway accepted the order; every timer counts from here (deterministic across replays). */
  createdAt: string;
  daysUntilDeletion: number;
  tasks: OrderTaskInput[];
  /** The validated order as the merchant sent it (defaults applied), for the read model. */
  order: SigningOrder;
  /** Order notifications, sent once every task is COMPLETED (absent when there are none). */
  notifications?: NotificationSpec[];
  /** URL notification retry settings (present when the order has any notification). */
  notify?: NotifySettings;
  /** Packaging tasks (absent when there are none). */
  packaging?: PackagingTaskPlan[];
  /** W3C traceparent of the request that created the order (tracing on): signer actions link to it. */
  traceparent?: string;
  /**
   * The uploads the order's documents name, reserved for it by the creation: the order's first activity copies each
   * into the order's own documents and records the read model (`recordOrder`). Absent in orders created before.
   */
  uploads?: ClaimedUpload[];
  /**
   * Orders created before `uploads`: the uploads the gateway claimed, having recorded the read model itself before
   * it started the workflow. Absent in orders older still (the workflow then claimed through `claimAndRecordOrder`).
   */
  claimed?: ClaimedUpload[];
}

/** An ISO time `days` days after `iso` (task expiry, deletion): one computation for the gateway and workflows. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** Each task's expiry time: `daysToLive` days after the order's creation. */
export function taskExpiries(input: Pick<SigningOrderInput, 'createdAt' | 'tasks'>): Record<string, string> {
  return Object.fromEntries(input.tasks.map((t) => [t.taskId, t.expiresAt ?? addDays(input.createdAt, t.daysToLive)]));
}

/** Answer of the `confirmCreation` update: the order exists once its documents are claimed and recorded. */
export type CreationResult = { created: true } | { created: false; missingDocumentRefs: string[] };

/** What a signer did, sent by the signing portal as an Update of the task workflow. */
export type SignerAction =
  | { type: 'STARTED' }
  | { type: 'AUTHENTICATED'; method: string }
  /** The signer turned back at the identity method (`access_denied`): USER_AUTHENTICATION_CANCELLED, task stays open. */
  | { type: 'AUTHENTICATION_CANCELLED'; method: string }
  | { type: 'VIEWED'; documentId: string }
  /**
   * With `seal`, the document is sealed for the signer (a result is stored) before the action is recorded. `opened`:
   * documents the signer opened that were not recorded yet, recorded (DOCUMENT_VIEWED) with the signature, so
   * reading and signing cost the task one Update.
   */
  | { type: 'SIGNED'; documentId: string; seal?: SealRequest; opened?: string[] }
  /**
   * With `result`, the signer's file as the portal stored it (object key, type, size, SHA-256): recorded as the
   * document's result together with the event. Without it (orders before), the upload was recorded by the portal.
   */
  | { type: 'UPLOADED'; documentId: string; result?: SignerUpload }
  | { type: 'REJECTED'; reason?: string }
  | { type: 'COMPLETED' }
  /** Signing was refused (e.g. the identity did not match the order's subject): an ERROR event, the task stays open. */
  | { type: 'REFUSED'; reason: string }
  /**
   * The signer handed the task to another person (where the task's signing configuration allows it): the task gets
   * a new sign code (the forwarder's link and sessions stop working), and the new signer is invited.
   */
  | { type: 'FORWARDED'; forward: TaskForward; invitation: ForwardInvitation };

/** A forward as the signer gave it (TaskForwardDetails without the ids): the new signer has an e-mail or a mobile. */
export interface TaskForward {
  forwarderName: string;
  forwarderEmail?: string;
  recipientName: string;
  recipientEmail?: string;
  /** E.164. */
  recipientMobile?: string;
}

/**
 * What the new signer of a forwarded task is sent when the task has no FORWARDED notification of that type: the
 * invitation in the task's language, written by the portal (`${taskUrl}` resolves to the new signer's link), with
 * the order's e-mail branding.
 */
export interface ForwardInvitation {
  header: string;
  message: string;
  template?: EmailTemplate;
}

/** Forwards per task at most: each sends e-mail or SMS to an address a signer typed, and grows the task's history. */
export const MAX_FORWARDS_PER_TASK = 5;

/** A file a signer uploaded for an UPLOAD document, stored by the portal under `storageKeys.signerUpload`. */
export interface SignerUpload {
  objectKey: string;
  contentType: 'application/pdf' | 'text/plain';
  size: number;
  sha256: string;
}

export interface SignerActionResult {
  taskStatus: TaskStatus;
}

/** Live state, answered by the `orderState` query. */
export interface OrderStateView {
  orderId: string;
  status: OrderStatus;
  tasks: Record<string, { status: TaskStatus; opened: boolean; expiresAt: string }>;
  deleteAt?: string;
}

/** A task's own state, answered by its `taskState` query. */
export interface TaskStateView {
  status: TaskStatus;
  /** Whether its signer has opened it (STARTED). */
  started: boolean;
  /** How often it was forwarded (absent in tasks that predate forwarding: none). */
  forwards?: number;
}

export interface SigningTaskInput {
  orderId: string;
  merchantId: string;
  taskId: string;
  /** ISO time the task expires unless it is finished before. */
  expiresAt: string;
  /** The task's document ids; signer actions naming another document are rejected. */
  documentIds?: string[];
  /**
   * Each document's action: once the signer has done what every document asks (signed, viewed, uploaded), the task
   * completes with that last action, without a separate COMPLETED.
   */
  documentActions?: Record<string, DocumentAction>;
  /**
   * True for tasks opened by this version on: with `documentActions`, the task completes with the action that deals
   * with its last document, decided by this input. Tasks opened before it decide by the patch marker
   * `complete-when-every-document-is-done` (a marker and a search-attribute upsert in every such task's history).
   */
  completesWithDocuments?: boolean;
  /**
   * True for tasks opened by this version on: a SIGNED action is refused (Conflict) until every document the task
   * shows its signer was opened (VIEWED, or named in the SIGNED action's `opened`; see `documentsToOpen`), the rule
   * the portal applies too.
   */
  opensBeforeSigning?: boolean;
  /** The task's notifications and the order's retry settings (absent when the task has none). */
  notifications?: TaskNotificationPlan[];
  notify?: NotifySettings;
  /** Documents whose result goes to the archive once the task is COMPLETED (absent when none). */
  archiveDocuments?: string[];
}

export interface TaskOutcome {
  taskId: string;
  status: Exclude<TaskStatus, 'CREATED'>;
}

/** One event in a task's history, as served by `GET …/tasks/{taskId}/events`. */
export interface TaskEvent {
  eventType: string;
  eventTime: string;
  data?: string;
}

export const ORDER_MESSAGES = {
  /** Update: waits until the order's documents are claimed and its read model written (or creation failed). */
  CONFIRM_CREATION: 'confirmCreation',
  /** Update: DELETE /orders/{id} — open tasks become DELETED, documents and read model are removed. */
  CANCEL_ORDER: 'cancelOrder',
  /** Query: OrderStateView. */
  STATE: 'orderState',
  /** Update on a task workflow: a SignerAction, validated, answered with SignerActionResult. */
  SIGNER_ACTION: 'signerAction',
  /** Query on a task workflow: TaskStateView (what a delayed notification of the task decides by). */
  TASK_STATE: 'taskState',
  /** Signal from the order to a task workflow: the task is DELETED (its order was cancelled or a dependency failed). */
  DELETE_TASK: 'deleteTask',
} as const;

/**
 * Result of a signing-order workflow run (operators see it in the Temporal UI). `status` is how the order ended
 * before its data was deleted: COMPLETED or ENDED, or DELETED when the merchant cancelled it.
 */
export type SigningOrderOutcome =
  | { created: false; missingDocumentRefs: string[] }
  | { created: true; status: OrderStatus; tasks: Record<string, Exclude<TaskStatus, 'CREATED'>> };

/**
 * `eventType`s a task's history uses (facts §3.14), and three of this platform's own: `TASK_EXPIRED`, `TASK_DELETED`
 * and `TASK_FORWARDED`. v1 has no type for expiry, deletion and forwarding, and its SDK refuses a type it does not know, so the API shows those
 * `INTERNAL` unless the client asks for them (`V1_EVENT_TYPES`, `v1Event`).
 */
export const TASK_EVENT_TYPES = {
  CREATED: 'TASK_CREATED',
  STARTED: 'TASK_STARTED',
  COMPLETED: 'TASK_COMPLETED',
  REJECTED: 'TASK_REJECTED',
  AUTHENTICATED: 'USER_AUTHENTICATED',
  NOTIFICATION_SENT: 'NOTIFICATION_SENT',
  ERROR: 'ERROR',
  VIEWED: 'DOCUMENT_VIEWED',
  SIGNED: 'DOCUMENT_SIGNED',
  UPLOADED: 'DOCUMENT_UPLOADED',
  SIGN_CANCELLED: 'DOCUMENT_SIGN_CANCELLED',
  DOCUMENT_DELETED: 'DOCUMENT_DELETED',
  AUTHENTICATION_CANCELLED: 'USER_AUTHENTICATION_CANCELLED',
  EXPIRED: 'TASK_EXPIRED',
  DELETED: 'TASK_DELETED',
  FORWARDED: 'TASK_FORWARDED',
  INTERNAL: 'INTERNAL',
  PACKAGING_CREATED: 'PACKAGING_TASK_CREATED',
  PACKAGING_COMPLETED: 'PACKAGING_TASK_COMPLETED',
  PACKAGING_FAILED: 'PACKAGING_TASK_FAILED',
} as const;
