import type {
  CallUrlInput,
  DeliverNotificationInput,
  NotificationContext,
  NotificationContextInput,
  SendResult,
  UrlCallResult,
} from './notifications.js';
import type {
  CreationResult,
  OrderStatus,
  SigningOrderInput,
  TaskEvent,
  TaskForward,
  TaskStateView,
  TaskStatus,
} from './orders.js';
import type { DocumentResultRecord, OneTimeCodeInput, SealDocumentInput, SealDocumentResult } from './signing.js';
import type {
  ArchiveInput,
  ArchiveResult,
  PackageDocumentsInput,
  PackageDocumentsResult,
  PackagingRecord,
} from './archive.js';
import type { ArchivedDocumentRef, ArchiveRenewalStatus } from './archive-renewal.js';

export interface DiagnosticRoundtripInput {
  probeId: string;
}

export interface DiagnosticRoundtripResult {
  probeId: string;
  /** Where document-storage wrote the probe object. */
  s3: { bucket: string; key: string; etag: string };
  /** The Redis key it wrote. */
  redisKey: string;
  storedAt: string;
  /** Both were read back as written and then deleted: a round trip leaves nothing behind. */
  cleanedUp: true;
  workflowId: string;
  /** What each activity worker reported about its own dependencies. */
  notification: NotificationProbe;
  archive: ArchiveProbe;
}

export interface NotificationProbe {
  smtp: 'reachable';
}

export interface ArchiveProbe {
  bucket: string;
}

export interface UploadRef {
  merchantId: string;
  documentId: string;
}

/** One second's uploads (all with the same TTL): they expire together at the end of that second plus the TTL. */
export interface UploadExpiryBucketInput {
  ttlSeconds: number;
  /** Unix time in seconds of the uploads. */
  second: number;
}

export interface ClaimedUpload extends UploadRef {
  contentType: string;
  size: number;
  sha256: string;
  bucket: string;
  objectKey: string;
}

/** Activities hosted by services/document-storage on the `document-storage` task queue. */
export interface DocumentStorageActivities {
  /**
   * Ends every upload of a bucket (metadata, and the object unless still in use), then forgets the bucket. Fails
   * (retryably) while a creation still has one of them reserved, so the timer comes back to it. Idempotent.
   */
  expireUploadBucket(input: UploadExpiryBucketInput): Promise<{ deleted: number; referenced: number }>;
  storeDiagnosticProbe(
    input: DiagnosticRoundtripInput,
  ): Promise<Pick<DiagnosticRoundtripResult, 'probeId' | 's3' | 'redisKey' | 'storedAt' | 'cleanedUp'>>;
}

/** Activities hosted by services/notification on the `notification` task queue. */
export interface NotificationActivities {
  /** Fails unless the SMTP server answers. */
  probeNotificationChannels(): Promise<NotificationProbe>;
  /**
   * Sends an e-mail (header as subject, message as text and HTML part) at most once per `deliveryId`. Throws a
   * retryable failure when the SMTP server is unreachable or answers 4xx, a non-retryable `NotificationRejected`
   * when it refuses the message for good (5xx).
   */
  sendEmail(input: DeliverNotificationInput): Promise<SendResult>;
  /** Sends an SMS through the Twilio Messages API at most once per `deliveryId`; failures as for sendEmail. */
  sendSms(input: DeliverNotificationInput): Promise<SendResult>;
  /**
   * One attempt of a URL notification (GET, the configured timeout); never throws for the receiver's failures.
   * Heartbeats every `ACTIVITY_HEARTBEAT_EVERY_MS` while it waits for the receiver.
   */
  callUrl(input: CallUrlInput): Promise<UrlCallResult>;
  /** Makes (once per challenge), stores and sends a one-time code by SMS or e-mail, at most once. */
  sendOneTimeCode(input: OneTimeCodeInput): Promise<SendResult>;
}

/** Activities hosted by services/archive on the `archive` task queue. */
export interface ArchiveActivities {
  /** Fails unless the archive bucket exists and answers. */
  probeArchiveStore(): Promise<ArchiveProbe>;
  /**
   * Copies a task document's result into the archive (write-once, per merchant) and records it. Idempotent: the
   * same source always yields the same archive id, and an archived object is never overwritten.
   */
  sendResultToArchive(input: ArchiveInput): Promise<ArchiveResult>;
  /** The same for a packaging task's package. */
  sendToArchive(input: ArchiveInput): Promise<ArchiveResult>;
  /** Whether an archived document can be renewed, and when its newest timestamp's certificate expires. */
  planArchiveRenewal(input: ArchivedDocumentRef): Promise<ArchiveRenewalStatus>;
  /**
   * Adds current validation data and a new document timestamp to an archived document, as a new immutable version
   * its record then points to (the earlier bytes are a prefix of it). Retried until the TSA, OCSP and CRLs answer.
   */
  renewArchiveTimestamp(input: ArchivedDocumentRef): Promise<ArchiveRenewalStatus>;
}

/**
 * Orders created by update-with-start, before the gateway claimed uploads: their first step claimed and recorded
 * through this activity. Kept as a type only, so those histories replay; no worker hosts it any more.
 */
export interface LegacyOrderActivities {
  claimAndRecordOrder(input: ClaimAndRecordOrderInput): Promise<ClaimOrderDocumentsResult>;
}

/** Either every upload is claimed (`missingDocumentRefs` empty) or none is (claims made so far are released). */
export interface ClaimOrderDocumentsResult {
  claimed: ClaimedUpload[];
  missingDocumentRefs: string[];
}

export interface ClaimAndRecordOrderInput {
  order: SigningOrderInput;
  /** Expiry time of each task, by task id, computed by the workflow. */
  expiresAt: Record<string, string>;
}

/** One task's change: an optional new status and the events that go with it. */
export interface TaskChange {
  taskId: string;
  status?: TaskStatus;
  /** ISO workflow time of the change. */
  at: string;
  /** `eventId` is stable across retries, so an event is recorded once. */
  events: Array<TaskEvent & { eventId: string }>;
  /** Documents' results that come with the change (sealed, or uploaded by the signer), recorded before its events. */
  results?: Array<{ documentId: string; result: DocumentResultRecord }>;
  /**
   * A forward of the task (the `index`th, from 1), recorded before its events: the forward's details, and the task's
   * sign code replaced by the one of this forward (the previous code then names the task as forwarded).
   */
  forward?: { index: number; details: TaskForward };
}

export interface RecordTaskStatusInput {
  merchantId: string;
  orderId: string;
  changes: TaskChange[];
}

export interface RecordOrderStatusInput {
  merchantId: string;
  orderId: string;
  status: OrderStatus;
  deleteAt?: string;
}

export interface DeleteOrderDataInput {
  merchantId: string;
  orderId: string;
  taskIds: string[];
  /** The order's uploads: each is released, and deleted unless another order still references it. */
  documents: Array<{ documentId: string; objectKey: string }>;
}

/** Activities hosted by services/sealing on the `sealing` task queue: they store result objects, never records. */
export interface SealingActivities {
  /**
   * Seals one document of a task for its signer (text rendered to PDF first, evidence embedded, PAdES), stores the
   * result . Idempotent: a retry reseals and overwrites the same object. Fails
   * `NotFound` when the order or document is gone.
   */
  sealDocument(input: SealDocumentInput): Promise<SealDocumentResult>;
  /**
   * Packs the named task documents' originals into one PDF (text rendered) and seals it once per signer of the named
   * tasks, in order, with each signer's evidence: successive PAdES signatures. Stores it. Idempotent.
   */
  packageDocuments(input: PackageDocumentsInput): Promise<PackageDocumentsResult>;
}

/** Order lifecycle activities hosted by services/document-storage on the `document-storage` task queue. */
export interface OrderActivities {
  /**
   * The order's first step (one activity keeps its history short): copies each upload the creation reserved into
   * the order's own documents, then writes the read model (tasks CREATED) with a TASK_CREATED event per task. An
   * upload gone by then is reported, never thrown, and nothing is written. Idempotent.
   */
  recordOrder(input: { order: SigningOrderInput }): Promise<CreationResult>;
  /** Writes task statuses and events. Idempotent (events deduplicated by `eventId`). */
  recordTaskStatus(input: RecordTaskStatusInput): Promise<void>;
  recordOrderStatus(input: RecordOrderStatusInput): Promise<void>;
  /** Records a packaging task's state (and events on the named tasks). Only while the order exists. */
  recordPackaging(input: {
    merchantId: string;
    orderId: string;
    packagingTaskId: string;
    record: PackagingRecord;
    events: Array<{ taskId: string; eventId: string; eventType: string; eventTime: string; data?: string }>;
  }): Promise<void>;
  /** Records the archive id of a task document's result. Only while the order exists. */
  recordArchived(input: {
    merchantId: string;
    orderId: string;
    taskId: string;
    documentId: string;
    archiveId: string;
  }): Promise<void>;
  /**
   * A task's state as its workflow answers it (query `taskState`): what a delayed notification decides by. A task
   * whose workflow no longer exists counts as DELETED.
   */
  taskState(input: { orderId: string; taskId: string }): Promise<TaskStateView>;
  /** Placeholder values and the task's state for a notification; `exists: false` once the order is deleted. */
  readNotificationContext(input: NotificationContextInput): Promise<NotificationContext>;
  /** Releases/deletes the order's uploads and removes its read model. Idempotent. */
  deleteOrderData(input: DeleteOrderDataInput): Promise<void>;
}

/**
 * How often every activity tells Temporal its worker is alive (the worker runtime does it for each, see
 * `heartbeating` in @esign/service-runtime).
 */
export const ACTIVITY_HEARTBEAT_EVERY_MS = 2_000;
/**
 * Heartbeat timeouts: an attempt handed to a worker that froze or died is given to another (or the resumed) worker
 * after this, instead of after its start-to-close timeout, which stays the bound for a live worker that hangs.
 * Quick activities (Redis and S3 steps) get the short one; those that may hold the event loop for a while (sealing,
 * packaging, timestamp renewal) the long one.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT = { quick: '10 seconds', cpu: '30 seconds' } as const;

/**
 * A URL attempt's heartbeat timeout: a worker that dies mid-attempt is noticed after this, and the delivery goes on
 * at its next retry time (the start-to-close timeout, a minute, is for a worker that hangs while alive).
 */
export const URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS = 15_000;
