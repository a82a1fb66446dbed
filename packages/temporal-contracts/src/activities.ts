import type {
  CallUrlInput,
  DeliverNotificationInput,
  NotificationContext,
  NotificationContextInput,
  SendResult,
  UrlCallResult,
} from './notifications.js';
import type { OrderStatus, SigningOrderInput, TaskEvent, TaskStatus } from './orders.js';
import type { OneTimeCodeInput, SealDocumentInput, SealDocumentResult } from './signing.js';
import type {
  ArchiveInput,
  ArchiveResult,
  PackageDocumentsInput,
  PackageDocumentsResult,
  PackagingRecord,
} from './archive.js';

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

export interface UploadExpiryInput extends UploadRef {
  objectKey: string;
  /** Seconds from upload to deletion unless an order references it. */
  ttlSeconds: number;
}

/** One second's uploads (all with the same TTL): they expire together at the end of that second plus the TTL. */
export interface UploadExpiryBucketInput {
  ttlSeconds: number;
  /** Unix time in seconds of the uploads. */
  second: number;
}

export interface ClaimUploadInput extends UploadRef {
  orderId: string;
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
  /** Deletes every upload of a bucket that no order references, then the bucket. Idempotent. */
  expireUploadBucket(input: UploadExpiryBucketInput): Promise<{ deleted: number; referenced: number }>;
  /** Deletes the upload unless an order references it. Idempotent. */
  expireUpload(input: Omit<UploadExpiryInput, 'ttlSeconds'>): Promise<'deleted' | 'referenced' | 'gone'>;
  /** Records an order's reference to an upload (idempotent); fails `NotFound` when the upload does not exist. */
  claimUpload(input: ClaimUploadInput): Promise<ClaimedUpload>;
  /** Drops an order's reference to an upload. Idempotent. */
  releaseUpload(input: ClaimUploadInput): Promise<void>;
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
   * Heartbeats every `URL_ATTEMPT_HEARTBEAT_EVERY_MS` while it waits for the receiver.
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

/** Order lifecycle activities hosted by services/document-storage on the `document-storage` task queue. */
export interface OrderActivities {
  /**
   * The creations begun in one second, `CREATION_CHECK_SECONDS` later: each whose workflow never started is undone
   * (read model removed, uploads released; an upload past its own expiry then expires). Idempotent.
   */
  settleCreations(input: { second: number }): Promise<{ started: number; abandoned: number }>;
  /**
   * Creation in one step (one activity keeps the order's history short): claims every upload of the order, and
   * when all exist writes the read model (tasks CREATED) and a TASK_CREATED event per task. A missing upload is
   * reported, never thrown; the claims made are then released and nothing is written. Idempotent.
   */
  claimAndRecordOrder(input: ClaimAndRecordOrderInput): Promise<ClaimOrderDocumentsResult>;
  /** Writes task statuses and events. Idempotent (events deduplicated by `eventId`). */
  recordTaskStatus(input: RecordTaskStatusInput): Promise<void>;
  recordOrderStatus(input: RecordOrderStatusInput): Promise<void>;
  /**
   * Seals one document of a task for its signer (text rendered to PDF first, evidence embedded, PAdES), stores the
   * result and records it in the read model. Idempotent: a retry reseals and overwrites the same object. Fails
   * `NotFound` when the order or document is gone.
   */
  sealDocument(input: SealDocumentInput): Promise<SealDocumentResult>;
  /**
   * Packs the named task documents' originals into one PDF (text rendered) and seals it once per signer of the named
   * tasks, in order, with each signer's evidence: successive PAdES signatures. Stores it. Idempotent.
   */
  packageDocuments(input: PackageDocumentsInput): Promise<PackageDocumentsResult>;
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
  /** Placeholder values and the task's state for a notification; `exists: false` once the order is deleted. */
  readNotificationContext(input: NotificationContextInput): Promise<NotificationContext>;
  /** Releases/deletes the order's uploads and removes its read model. Idempotent. */
  deleteOrderData(input: DeleteOrderDataInput): Promise<void>;
}

/**
 * A URL attempt's heartbeat timeout: a worker that dies mid-attempt is noticed after this, and the delivery goes on
 * at its next retry time (the start-to-close timeout, a minute, is for a worker that hangs while alive).
 */
export const URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS = 15_000;
/** How often a URL attempt reports it is alive: a few times within the heartbeat timeout. */
export const URL_ATTEMPT_HEARTBEAT_EVERY_MS = 3_000;
