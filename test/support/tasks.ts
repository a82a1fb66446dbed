import { ids, ORDER_MESSAGES, type SignerAction } from '@esign/temporal-contracts';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

/**
 * Sends a signer action to a task workflow, as the signing portal will. The order starts its task workflows right
 * after confirming creation, so the first action may arrive a moment before the task exists: retry briefly.
 */
export async function signerAction(client: Client, orderId: string, taskId: string, action: SignerAction) {
  const handle = client.workflow.getHandle(ids.task(orderId, taskId));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await handle.executeUpdate(ORDER_MESSAGES.SIGNER_ACTION, { args: [action] });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
