// The long-term archive and packaging (contract §8). Plain data only.
import type { NotificationSpec } from './notifications.js';

/** Where an archived copy came from: a task document's result, or a packaging task's package. */
export type ArchiveSource =
  | { kind: 'document'; orderId: string; taskId: string; documentId: string }
  | { kind: 'packaging'; orderId: string; packagingTaskId: string };

export interface ArchiveInput {
  merchantId: string;
  source: ArchiveSource;
  /** The object to copy, in the documents bucket. */
  objectKey: string;
  contentType: string;
  sha256: string;
}

export interface ArchiveResult {
  archiveId: string;
}

/** An archived document's metadata (Redis, per merchant; outlives the order). */
export interface ArchiveRecord {
  archiveId: string;
  merchantId: string;
  /** Key in the archive bucket. */
  objectKey: string;
  contentType: string;
  size: number;
  sha256: string;
  archivedAt: string;
  source: ArchiveSource;
  /** Timestamp renewals so far: `objectKey` is then the newest version, the earlier bytes a prefix of it. */
  renewals?: number;
  renewedAt?: string;
}

export type PackagingStatus = 'CREATED' | 'COMPLETED' | 'FAILED';

/** One packaging task as the order workflow needs it. */
export interface PackagingTaskPlan {
  packagingTaskId: string;
  method: 'pades';
  sendToArchive: boolean;
  /** The task documents it packages, in order. */
  documents: Array<{ taskId: string; documentIds: string[] }>;
  notifications?: Array<NotificationSpec & { triggers: Array<'CREATED' | 'COMPLETED'> }>;
}

export interface PackageDocumentsInput {
  merchantId: string;
  orderId: string;
  packagingTaskId: string;
  documents: Array<{ taskId: string; documentIds: string[] }>;
}

export interface PackageDocumentsResult {
  objectKey: string;
  sha256: string;
  size: number;
  signatures: number;
}

/** A packaging task's state in the read model. */
export interface PackagingRecord {
  status: PackagingStatus;
  at: string;
  result?: { objectKey: string; sha256: string; size: number };
  archiveId?: string;
  /** Why it FAILED. */
  reason?: string;
}
