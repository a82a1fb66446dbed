import {
  ids,
  SEARCH_ATTRIBUTE_KEYS,
  TASK_QUEUES,
  WORKFLOW_TYPES,
  type SigningOrderInput,
} from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';

/**
 * Starts an order's workflow — one call to Temporal — with what operators find it by (search attributes, no
 * personal data) and its size (memo). A second start of the same order is refused by Temporal itself
 * (WorkflowExecutionAlreadyStartedError): the workflow id is derived from the order id. `taskQueue`: the
 * orchestrator's, unless a test runs the workflows on a queue of its own.
 */
export async function startSigningOrder(
  client: Client,
  input: SigningOrderInput,
  taskQueue: string = TASK_QUEUES.ORCHESTRATOR,
): Promise<void> {
  await client.workflow.start(WORKFLOW_TYPES.SIGNING_ORDER, {
    workflowId: ids.order(input.orderId),
    taskQueue,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { taskCount: input.tasks.length },
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTE_KEYS.ORDER_ID, value: input.orderId },
      { key: SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID, value: input.merchantId },
      { key: SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS, value: 'ACTIVE' },
      ...(input.clientReference ? [{ key: SEARCH_ATTRIBUTE_KEYS.CLIENT_REFERENCE, value: input.clientReference }] : []),
    ],
  });
}
