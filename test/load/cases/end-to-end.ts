// Case 2: one-signer orders end to end per second — created through the gateway, opened and signed through the task
// workflow's Update path (what the signing portal sends), completed when the status API says COMPLETED — vs a bare
// workflow doing as many no-op activities as one order does (its and its task child's ActivityTaskScheduled events),
// run to completion, at the same concurrency, in alternating rounds (each begun at rest when `settle` is given). The
// bare workflow's activities go to their own task queue and worker, as each of an order's activities goes to its
// service's queue; the same bare workflow with its activities on its own worker (which Temporal then hands them to
// eagerly, skipping the queue) is measured alongside for reference.
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
  /** Runs before each round: waits until the stack is at rest again (`untilQuiet`). */
  settle?: () => Promise<unknown>;
}

/**
 * Per round: orders/s completed end to end; bare workflows/s completed with their activities on a queue of their own
 * (`raw`), and with them on the workflow's worker, eagerly dispatched (`eager`).
 */
export async function endToEnd(
  ctx: { orders: Orders; temporal: Client; fixtures: FixtureWorker },
  o: EndToEndOptions,
): Promise<{ gateway: number[]; raw: number[]; eager: number[] }> {
  const { orders, temporal } = ctx;
  const rate = async (job: () => Promise<void>) => o.perRound / (await timedBatch(o.perRound, o.concurrency, job));
  const order = async () => {
    const orderId = await orders.create();
    await orders.sign(orderId);
    await orders.untilCompleted(orderId);
  };
  const bare = (activityQueue?: string) => async () => {
    await temporal.workflow.execute('noopActivitiesWorkflow', {
      taskQueue: ctx.fixtures.taskQueue,
      workflowId: `bench-noop-${newId()}`,
      args: activityQueue ? [o.activities, activityQueue] : [o.activities],
    });
  };
  const sides = { gateway: order, raw: bare(ctx.fixtures.activityQueue), eager: bare() };
  // Warm-up, not counted.
  for (const job of Object.values(sides)) await timedBatch(o.concurrency, o.concurrency, job);
  return alternate(
    o.rounds,
    {
      gateway: () => rate(sides.gateway),
      raw: () => rate(sides.raw),
      eager: () => rate(sides.eager),
    },
    o.settle,
  );
}
