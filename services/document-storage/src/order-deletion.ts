import { ids, WORKFLOW_TYPES } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';

const UNIMPLEMENTED = 12;

/**
 * Ends the order's notification deliveries still waiting or retrying (contract: at deletion, notifications stop).
 * They must end before the order's payload key is destroyed: a delivery that woke up afterwards could not replay its
 * history and would be stuck. Found by visibility (workflow id under the order's prefix); a server without it (the
 * time-skipping test server) ends none.
 */
export async function stopDeliveries(client: Client, orderId: string): Promise<number> {
  const query = [
    `WorkflowType = '${WORKFLOW_TYPES.NOTIFICATION_DELIVERY}'`,
    `ExecutionStatus = 'Running'`,
    `WorkflowId STARTS_WITH '${ids.order(orderId)}-'`,
  ].join(' AND ');
  let stopped = 0;
  try {
    for await (const execution of client.workflow.list({ query })) {
      if (ids.orderOf(execution.workflowId) !== orderId) continue;
      try {
        await client.workflow.getHandle(execution.workflowId, execution.runId).terminate('order deleted');
        stopped++;
      } catch (err) {
        // Ended by itself meanwhile.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
  } catch (err) {
    // The client wraps the gRPC error (its `cause` has the status code).
    const { code, cause } = err as { code?: number; cause?: { code?: number } };
    if ((code ?? cause?.code) !== UNIMPLEMENTED) throw err;
  }
  return stopped;
}
