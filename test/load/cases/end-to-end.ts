// Case 2: one-signer orders end to end per second — created through the gateway, opened and signed through the task
// workflow's Update path (what the signing portal sends), completed when the status API says COMPLETED — vs a bare
// workflow doing as many no-op activities as one order does (its and its task child's ActivityTaskScheduled events),
// run to completion on a worker in the benchmark process, at the same concurrency, in alternating rounds.
import { newId } from '@esign/temporal-contracts/random';
import type { Client } from '@temporalio/client';
import type { FixtureWorker } from '../fixture-worker.js';
import { alternate, timedBatch } from '../measure.js';
import type { Orders } from '../orders.js';

export interface EndToEndOptions {
  rounds: number;
  perRound: number;
  concurrency: number;
  /** No-op activities per bare workflow: as many as one order schedules (see order-history.ts). */
  activities: number;
}

/** Per round: orders/s completed end to end, bare workflows/s completed. */
export async function endToEnd(
  ctx: { orders: Orders; temporal: Client; fixtures: FixtureWorker },
  o: EndToEndOptions,
): Promise<{ gateway: number[]; raw: number[] }> {
  const { orders, temporal } = ctx;
  const rate = async (job: () => Promise<void>) => o.perRound / (await timedBatch(o.perRound, o.concurrency, job));
  const order = async () => {
    const orderId = await orders.create();
    await orders.sign(orderId);
    await orders.untilCompleted(orderId);
  };
  const bare = async () => {
    await temporal.workflow.execute('noopActivitiesWorkflow', {
      taskQueue: ctx.fixtures.taskQueue,
      workflowId: `bench-noop-${newId()}`,
      args: [o.activities],
    });
  };
  // Warm-up, not counted.
  await timedBatch(o.concurrency, o.concurrency, order);
  await timedBatch(o.concurrency, o.concurrency, bare);
  return alternate(o.rounds, { gateway: () => rate(order), raw: () => rate(bare) });
}
