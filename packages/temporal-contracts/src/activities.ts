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
  /** Deletes the upload unless an order references it. Idempotent. */
  expireUpload(input: Omit<UploadExpiryInput, 'ttlSeconds'>): Promise<'deleted' | 'referenced' | 'gone'>;
  /** Records an order's reference to an upload (idempotent); fails `NotFound` when the upload does not exist. */
  claimUpload(input: ClaimUploadInput): Promise<ClaimedUpload>;
  /** Drops an order's reference to an upload. Idempotent. */
  releaseUpload(input: ClaimUploadInput): Promise<void>;
  storeDiagnosticProbe(
    input: DiagnosticRoundtripInput,
  ): Promise<Pick<DiagnosticRoundtripResult, 'probeId' | 's3' | 'redisKey' | 'storedAt'>>;
}

/** Activities hosted by services/notification on the `notification` task queue. */
export interface NotificationActivities {
  /** Fails unless the SMTP server answers. */
  probeNotificationChannels(): Promise<NotificationProbe>;
}

/** Activities hosted by services/archive on the `archive` task queue. */
export interface ArchiveActivities {
  /** Fails unless the archive bucket exists and answers. */
  probeArchiveStore(): Promise<ArchiveProbe>;
}
