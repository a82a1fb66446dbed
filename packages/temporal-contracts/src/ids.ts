import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

// Workflow ids are derived from opaque random ids only: readable prefixes, never an e-mail, phone or name.
/** What may go into a workflow id or a storage key as one part: the one definition of the pattern. */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

function checked(id: string): string {
  if (!SAFE_ID.test(id)) throw new Error('ids must be 1-128 characters of [A-Za-z0-9_-]');
  return id;
}

/**
 * A client-chosen id (task, document, notification, packaging task: any printable text) as one part of a workflow
 * id or storage key: as it is when it is SAFE_ID (so the ids of existing orders do not change), otherwise `~` and the
 * SHA-256 of its UTF-8 bytes in hex. `~` is outside SAFE_ID, so the two forms never meet, and SHA-256 keeps distinct
 * ids apart; no separator, path or personal data (`a:b@c`) gets into an id or a key. The id itself is kept, as sent,
 * in the order. Pure JavaScript: workflows use it too.
 */
export function clientPart(id: string): string {
  if (SAFE_ID.test(id)) return id;
  if (id.length === 0) throw new Error('an id must not be empty');
  return `~${bytesToHex(sha256(utf8ToBytes(id)))}`;
}

export const ids = {
  /** Workflow id of a signing order's workflow. */
  order: (orderId: string) => `order-${checked(orderId)}`,
  /** Workflow id of a task's child workflow. */
  task: (orderId: string, taskId: string) => `order-${checked(orderId)}-task-${clientPart(taskId)}`,
  /**
   * Workflow id of one notification's delivery for one trigger; also its delivery id (`X-Sign-Delivery-Id`), so a
   * second start for the same trigger is refused by Temporal itself. `scope`: `task-<id>`, `packaging-<id>` or none
   * (order notifications).
   */
  notification: (orderId: string, scope: { taskId?: string; packagingTaskId?: string }, id: string, trigger?: string) =>
    [
      `order-${checked(orderId)}`,
      ...(scope.taskId ? [`task-${clientPart(scope.taskId)}`] : []),
      ...(scope.packagingTaskId ? [`packaging-${clientPart(scope.packagingTaskId)}`] : []),
      `notify-${clientPart(id)}`,
      ...(trigger ? [checked(trigger.toLowerCase())] : []),
    ].join('-'),
  /**
   * Workflow id (and delivery id) of an operator's `n`th redrive of a failed delivery: a new delivery, never the
   * original's id again, so the receiver and the ledger see it as what it is.
   */
  redrive: (deliveryId: string, n: number) => `${deliveryId}-redrive-${n}`,
  /** The delivery a redrive id redrives (the id itself when it is no redrive). */
  redriven: (deliveryId: string) => deliveryId.replace(/-redrive-\d+$/, ''),
  /** Workflow id of a packaging task's child workflow. */
  packaging: (orderId: string, packagingTaskId: string) =>
    `order-${checked(orderId)}-packaging-${clientPart(packagingTaskId)}`,
  /**
   * Workflow id of the delivery of one one-time code to a signer of the order: under the order's prefix, so its
   * payloads (the recipient) are encrypted with the order's data key and destroyed with it (`orderOf`).
   */
  oneTimeCode: (orderId: string, challengeId: string) => `order-${checked(orderId)}-otp-${checked(challengeId)}`,
  /** Workflow id of a diagnostic round trip through every layer. */
  diagnostic: (probeId: string) => `diagnostic-${checked(probeId)}`,
  /** Workflow id of the expiry timer shared by every upload of one second (with one TTL). */
  uploadExpiryBucket: (ttlSeconds: number, second: number) => `upload-expiry-${ttlSeconds}s-${second}`,
  /** Workflow id of an archived document's timestamp renewal (archive ids are unique across merchants). */
  archiveRenewal: (archiveId: string) => `archive-renewal-${checked(archiveId)}`,
  isSafe: (id: string) => SAFE_ID.test(id),
  /**
   * The order a workflow id belongs to (its own, a task's, a packaging task's, a notification's, a one-time code's),
   * or undefined for every other workflow. The order id is what follows `order-` up to the first separator above;
   * new order ids hold no `-` (`newOrderId`), so the split is unambiguous, and every workflow of one order gives the
   * same answer, whatever its id.
   */
  orderOf: (workflowId: string): string | undefined => {
    if (!workflowId.startsWith('order-')) return undefined;
    const rest = workflowId.slice('order-'.length);
    const end = rest.search(ORDER_PART_END);
    const orderId = end < 0 ? rest : rest.slice(0, end);
    return SAFE_ID.test(orderId) ? orderId : undefined;
  },
};

/** Where the order id ends in a workflow id of one of its workflows (see `ids.orderOf`). */
const ORDER_PART_END = /-(task|packaging|notify|otp)-/;
