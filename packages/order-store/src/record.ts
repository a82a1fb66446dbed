import type { SigningOrder, Task } from '@esign/contracts';
import type {
  DocumentResultRecord,
  OrderStatus,
  PackagingRecord,
  TaskForward,
  TaskStatus,
} from '@esign/temporal-contracts';
import { own } from '@esign/temporal-contracts';
import { portalLinks } from './portal-links.js';

export interface TaskDocumentRecord {
  documentId: string;
  documentRef: string;
  contentType: string;
  size: number;
  sha256: string;
  bucket: string;
  objectKey: string;
  /** The PDF with the document's `form.inputParams` filled in, when it has any: shown, sealed and packaged instead. */
  filled?: FilledDocument;
}

/** A task's own copy of a PDF form with the order's values filled in (same bucket as the original). */
export interface FilledDocument {
  objectKey: string;
  size: number;
  sha256: string;
  /** Every fillable field of the filled form with its value (none when empty): the task's `formOutputParam`. */
  values: Array<{ name: string; value?: string }>;
}

/** The bytes a signer of this task document sees and signs: the filled form when there is one, else the original. */
export function shownDocument(
  d: TaskDocumentRecord,
): Pick<TaskDocumentRecord, 'contentType' | 'size' | 'sha256' | 'bucket' | 'objectKey'> {
  const { contentType, bucket } = d;
  return d.filled
    ? { contentType, bucket, objectKey: d.filled.objectKey, size: d.filled.size, sha256: d.filled.sha256 }
    : d;
}

export interface OrderTaskRecord {
  status: TaskStatus;
  /** ISO time the task expires unless finished. */
  expiresAt: string;
  /** ISO time of the last status change. */
  updatedAt: string;
  documents: TaskDocumentRecord[];
  /** Results by document id: signed (sealed) or uploaded by the signer. */
  results?: Record<string, DocumentResultRecord>;
  /** Archive ids by document id, for results sent to the archive. */
  archived?: Record<string, string>;
  /** The task's forwards, oldest first (absent when it was never forwarded). */
  forwards?: ForwardRecord[];
}

/** A forward of a task as recorded: what the forwarder gave, and when. */
export type ForwardRecord = TaskForward & { at: string };

export interface OrderRecord {
  orderId: string;
  merchantId: string;
  clientReference?: string;
  createdAt: string;
  status: OrderStatus;
  /** The validated order as sent (defaults applied). */
  order: SigningOrder;
  /** W3C traceparent of the order's creation, when traced (signer actions link their spans to it). */
  traceparent?: string;
  /** Each task's sign code (contract §5): never shown to clients, only put into notifications. */
  signCodes?: Record<string, string>;
  tasks: Record<string, OrderTaskRecord>;
  /** ISO time the order and its documents will be deleted, once known. */
  deleteAt?: string;
  /** Packaging tasks' states by packaging task id. */
  packaging?: Record<string, PackagingRecord>;
}

/**
 * A task's `signingUrl` (= `${taskUrl}`), made from its sign code whenever it is shown, so no copy of the secret link
 * is kept beside the code (and orders recorded before links carried the code get working links too).
 */
export function signingUrlOf(record: Pick<OrderRecord, 'orderId' | 'signCodes'>, taskId: string, portalUrl: string) {
  const code = own(record.signCodes, taskId);
  return code ? portalLinks.task(portalUrl, record.orderId, taskId, code) : '';
}

/** The merchant's definition of one task of a stored order (own properties only: ids are the merchant's). */
export function taskSpec(record: Pick<OrderRecord, 'order'>, taskId: string): Task | undefined {
  return record.order.tasks.find((t) => t.id === taskId);
}
