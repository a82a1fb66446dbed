import { createHmac } from 'node:crypto';
import type { ArchiveSource } from '@esign/temporal-contracts';

// Archive ids (contract §8) are deterministic per source, so a retried archiving finds the copy it already made
// instead of making a second one, yet unguessable without the server's secret, like every other id clients see.
//
// Scheme (v1):
//   key       = HMAC-SHA256(key: SIGN_CODE_SECRET, message: 'esign/archive-id/v1')
//   archiveId = base64url(HMAC-SHA256(key, canonical(merchantId, source)))        (256 bits, 43 characters)
//   canonical = JSON of ['document', merchantId, orderId, taskId, documentId]
//            or JSON of ['packaging', merchantId, orderId, packagingTaskId]
// The key is derived from the sign-code secret under its own label instead of a new setting: one secret to manage,
// and no archive id can equal a sign code or any other HMAC made with that secret. JSON arrays make the encoding
// unambiguous whatever the parts hold. Changing the secret changes the ids of future copies only: the ids of
// existing copies are stored in their records and never recomputed.

const KEY_LABEL = 'esign/archive-id/v1';

/** The key archive ids are derived with, from the server secret (`config.signCodeSecret`). */
export function archiveIdKey(secret: string): Buffer {
  if (secret.length === 0) throw new Error('the archive id secret must not be empty');
  return createHmac('sha256', secret).update(KEY_LABEL).digest();
}

function canonical(merchantId: string, source: ArchiveSource): string {
  return JSON.stringify(
    source.kind === 'document'
      ? ['document', merchantId, source.orderId, source.taskId, source.documentId]
      : ['packaging', merchantId, source.orderId, source.packagingTaskId],
  );
}

/** The archive id of a merchant's source: the same source always gets the same id, another merchant another one. */
export function archiveIdOf(key: Buffer, merchantId: string, source: ArchiveSource): string {
  return createHmac('sha256', key).update(canonical(merchantId, source)).digest('base64url');
}
