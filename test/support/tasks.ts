import { sendSignerAction } from '@esign/service-runtime';
import type { SignerAction } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';

/** Sends a signer action to a task workflow exactly as the signing portal does (retrying a task not started yet). */
export function signerAction(client: Client, orderId: string, taskId: string, action: SignerAction) {
  return sendSignerAction(client, orderId, taskId, action);
}
