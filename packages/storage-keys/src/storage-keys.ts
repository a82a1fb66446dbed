// Where every stored thing lives, from one helper. Every key starts with the merchant's id, so a lookup made for one
// merchant can never find another merchant's data: tenant isolation by construction, not by a check to remember.
import { clientPart, SAFE_ID } from '@esign/temporal-contracts';

function part(value: string): string {
  if (!SAFE_ID.test(value)) throw new Error('key parts must be 1-128 characters of [A-Za-z0-9_-]');
  return value;
}

export const storageKeys = {
  /** S3 key of an uploaded (session) document. */
  uploadObject: (merchantId: string, documentId: string) => `uploads/${part(merchantId)}/${part(documentId)}`,
  /** Redis key (after the configured prefix) of an uploaded document's metadata. */
  uploadMeta: (merchantId: string, documentId: string) => `m:${part(merchantId)}:upload:${part(documentId)}`,
  /** Redis key of an order's read model (JSON). */
  order: (merchantId: string, orderId: string) => `m:${part(merchantId)}:order:${part(orderId)}`,
  /** Redis list of a task's events, oldest first. */
  taskEvents: (merchantId: string, orderId: string, taskId: string) =>
    `m:${part(merchantId)}:order:${part(orderId)}:task:${clientPart(taskId)}:events`,
  /** Redis key mapping an Idempotency-Key to the order it created. */
  idempotency: (merchantId: string, keyHash: string) => `m:${part(merchantId)}:idem:${part(keyHash)}`,
  /** Redis set of the uploads (merchant, id, object key) whose expiry timer is the bucket of this second. */
  uploadExpiryBucket: (ttlSeconds: number, second: number) => `upload-expiry:${ttlSeconds}s:${second}`,
  /**
   * Redis key of an order creation's reservation (JSON, with a time-to-live): what the creation answered, served to
   * reads until the order's first activity has recorded the read model. Written only by the creation.
   */
  creation: (merchantId: string, orderId: string) => `m:${part(merchantId)}:creation:${part(orderId)}`,
  /** Redis key of a sign code reserved by a creation (the task it stands for), with the reservation's time-to-live. */
  creationSignCode: (code: string) => `creation-signcode:${part(code)}`,
  /**
   * Redis sorted set of the creations that reserved an upload (members: order ids; scores: when each reservation
   * ends, epoch ms): while one is live, the upload's object outlives its expiry and deletion, so the order's first
   * activity can copy it.
   */
  uploadReservations: (merchantId: string, documentId: string) =>
    `m:${part(merchantId)}:upload:${part(documentId)}:reservations`,
  /** S3 key of an order's own copy of an upload its documents name (`documentRef`). */
  orderDocument: (merchantId: string, orderId: string, documentRef: string) =>
    `orders/${part(merchantId)}/${part(orderId)}/documents/${part(documentRef)}`,
  /** S3 prefix of an order's own documents. */
  orderDocuments: (merchantId: string, orderId: string) => `orders/${part(merchantId)}/${part(orderId)}/`,
  /** S3 prefix of every result of an order (signed documents, uploads by signers, rendered text). */
  orderResults: (merchantId: string, orderId: string) => `results/${part(merchantId)}/${part(orderId)}/`,
  /**
   * S3 key of one task document's result (`kind`: `result` signed/uploaded, `generated` the PDF shown/sealed).
   * `version` tells apart the results of attempts that each wrote one (a seal is not byte-for-byte repeatable: a
   * slow attempt finishing after its retry must not overwrite the object the retry recorded).
   */
  documentResult: (
    merchantId: string,
    orderId: string,
    taskId: string,
    documentId: string,
    kind: 'result' | 'generated',
    version?: string,
  ) =>
    `results/${part(merchantId)}/${part(orderId)}/${clientPart(taskId)}/${clientPart(documentId)}` +
    `${version ? `.${part(version)}` : ''}.${kind}`,
  /** S3 key of a file a signer uploaded for an UPLOAD document (written by the signing portal). */
  signerUpload: (merchantId: string, orderId: string, taskId: string, documentId: string) =>
    `signer-uploads/${part(merchantId)}/${part(orderId)}/${clientPart(taskId)}/${clientPart(documentId)}`,
  /** S3 prefix of every file the signers of an order uploaded. */
  signerUploads: (merchantId: string, orderId: string) => `signer-uploads/${part(merchantId)}/${part(orderId)}/`,
  /** S3 key (documents bucket) of a packaging task's package. */
  packagingResult: (merchantId: string, orderId: string, packagingTaskId: string) =>
    `results/${part(merchantId)}/${part(orderId)}/packaging/${clientPart(packagingTaskId)}.pdf`,
  /** S3 key (archive bucket) of an archived document. */
  archiveObject: (merchantId: string, archiveId: string) => `archive/${part(merchantId)}/${part(archiveId)}`,
  /** S3 key of an archived document's `n`th timestamp renewal (archiveObject + `.r<n>`): a new object each time. */
  archiveVersion: (merchantId: string, archiveId: string, n: number) =>
    `archive/${part(merchantId)}/${part(archiveId)}.r${n}`,
  /** Redis key of an archived document's metadata; it outlives the order. */
  archiveMeta: (merchantId: string, archiveId: string) => `m:${part(merchantId)}:archive:${part(archiveId)}`,
  /** Redis key: which merchant an order belongs to (the signing portal's links carry the order id only). */
  orderOwner: (orderId: string) => `order-owner:${part(orderId)}`,
  /** Redis key of a one-time code challenge (the code and the wrong tries so far). */
  oneTimeCode: (merchantId: string, challengeId: string) => `m:${part(merchantId)}:otp:${part(challengeId)}`,
  /** Redis key of a signing-portal session. */
  portalSession: (sessionId: string) => `portal-session:${part(sessionId)}`,
  /**
   * Redis key of one of the portal's signer-protection counters or locks (`kind`: what is counted; `subject`: a hash of
   * what it is counted for — a link, a task, a recipient, a client address — so no personal data is in a key).
   */
  portalLimit: (kind: string, subject: string) => `portal-limit:${part(kind)}:${part(subject)}`,
  /**
   * Redis key of a single-sign-on artifact (`digest`: hex SHA-256 of the token, so the key does not hold the secret):
   * the task it lets in once.
   */
  artifact: (digest: string) => `artifact:${part(digest)}`,
  /** Redis key of a sign code: the merchant, order and task it stands for (the code is the secret). */
  signCode: (code: string) => `signcode:${part(code)}`,
  /** Redis key of a notification delivery's state (`deliveryHash` = hex SHA-256 of the delivery id). */
  delivery: (merchantId: string, deliveryHash: string) => `m:${part(merchantId)}:delivery:${part(deliveryHash)}`,
  /**
   * Redis key of an order's payload data key, wrapped by a configured payload key (JSON). Not under the merchant: the
   * payload codec knows an order only by its workflow ids. The braces keep it and its tombstone in one cluster slot.
   */
  payloadKey: (orderId: string) => `payload-key:{${part(orderId)}}`,
  /** Redis key marking an order's payload data key destroyed (the order was deleted): it is never made again. */
  payloadKeyDeleted: (orderId: string) => `payload-key:{${part(orderId)}}:deleted`,
  /** Redis set of the orders referencing an upload. */
  uploadRefs: (merchantId: string, documentId: string) => `m:${part(merchantId)}:upload:${part(documentId)}:refs`,
};
