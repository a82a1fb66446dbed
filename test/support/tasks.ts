import { sendSignerAction } from '@esign/signing-portal';
import type { SealRequest, SignerAction } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';

/**
 * Sends a signer action to a task workflow exactly as the signing portal does (retrying a task not started yet).
 * With `waitMs`, the Update may wait that long for a worker (a deadline of its own, past TEMPORAL_WAIT_DEADLINE_SECONDS:
 * tests that stop or replace workers wait for the new ones).
 */
export function signerAction(client: Client, orderId: string, taskId: string, action: SignerAction, waitMs?: number) {
  const send = () => sendSignerAction(client, orderId, taskId, action, waitMs);
  return waitMs ? client.connection.withDeadline(Date.now() + waitMs, send) : send();
}

/** A seal request as the portal sends with a SIGNED action, for a test signer identified with nbid-sign. */
export function testSeal(signerName = 'Kari Nordmann', nationalId = '01017012345'): SealRequest {
  return {
    signatureType: 'AUTHENTICATION_BASED',
    evidence: {
      signerName,
      method: 'nbid-sign',
      authenticatedAt: new Date().toISOString(),
      claims: { national_id: nationalId, name: signerName },
      ip: '127.0.0.1',
      userAgent: 'esign tests',
    },
  };
}

/**
 * Signs a document its signer opened: SIGNED naming it as `opened` (sealed when `seal` is given), what the portal
 * sends for a signer who read it, since a task refuses a signature before every document it shows was opened.
 */
export function signDocument(
  client: Client,
  orderId: string,
  taskId: string,
  documentId: string,
  seal?: SealRequest,
  waitMs?: number,
) {
  const action: SignerAction = { type: 'SIGNED', documentId, opened: [documentId], ...(seal ? { seal } : {}) };
  return signerAction(client, orderId, taskId, action, waitMs);
}
