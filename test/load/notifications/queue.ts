// Waiting on the notification task queue: its backlog, the delivery workflows still running, and a bounded poll.
import type { Client } from '@temporalio/client';
import { TASK_QUEUES } from '@esign/temporal-contracts';

const TIMEOUT_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 100 ms until it holds; fails after TIMEOUT_MS, or at once when `aborted` names a reason. */
export async function until(what: string, done: () => boolean | Promise<boolean>, aborted?: () => string | undefined) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await done())) {
    const reason = aborted?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

export function deliveryQueue(client: Client, namespace: string) {
  /** Activity tasks waiting in the notification task queue (the server's approximate backlog count). */
  const backlog = async () => {
    const res = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: TASK_QUEUES.NOTIFICATION },
      taskQueueType: 2, // TASK_QUEUE_TYPE_ACTIVITY
      reportStats: true,
    });
    return Number(res.stats?.approximateBacklogCount ?? 0);
  };
  const runningDeliveries = async () =>
    (await client.workflow.count(`WorkflowType = 'notificationDelivery' AND ExecutionStatus = 'Running'`)).count;
  return { backlog, runningDeliveries };
}
