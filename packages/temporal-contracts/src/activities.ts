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

/** Activities hosted by services/document-storage on the `document-storage` task queue. */
export interface DocumentStorageActivities {
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
