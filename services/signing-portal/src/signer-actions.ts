import { ids, ORDER_MESSAGES, type SignerAction, type SignerActionResult } from '@esign/temporal-contracts';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

/**
 * Sends a signer action to its task workflow as the validated `signerAction` Update (contract §7). The order starts its
 * task workflows right after confirming creation, so an action may arrive a moment before the task exists: a missing
 * workflow is retried for up to `waitMs`.
 */
export async function sendSignerAction(
  client: Client,
  orderId: string,
  taskId: string,
  action: SignerAction,
  waitMs = 10_000,
): Promise<SignerActionResult> {
  const handle = client.workflow.getHandle(ids.task(orderId, taskId));
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await handle.executeUpdate<SignerActionResult, [SignerAction]>(ORDER_MESSAGES.SIGNER_ACTION, {
        args: [action],
      });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
