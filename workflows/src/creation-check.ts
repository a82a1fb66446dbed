import { CREATION_CHECK_SECONDS, TASK_QUEUES, type OrderActivities } from '@esign/temporal-contracts';
import { proxyActivities, sleep } from '@temporalio/workflow';

const storage = proxyActivities<OrderActivities>({
  taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
  startToCloseTimeout: '5 minutes',
  // Undoing a creation that never started must eventually happen, however long Redis or Temporal are down.
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/**
 * The durable check of every order creation begun in one second. The gateway writes an order's read model and
 * claims its uploads before it starts the order's workflow; should it die in between (or the start fail), this
 * timer, well after the gateway's deadline for the start, undoes what the order never got to own. One per busy
 * second, like the upload expiry timers.
 */
export async function creationCheck(input: { second: number }): Promise<{ started: number; abandoned: number }> {
  const due = (input.second + 1 + CREATION_CHECK_SECONDS) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  return storage.settleCreations(input);
}
