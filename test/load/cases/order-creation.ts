// Case 1: signing orders created per second through the gateway (auth, validation, reservations, workflow start,
// answered with the order as reserved) against two anchors on the same Temporal server, at the same concurrency, in
// alternating rounds (each begun once the work the previous one left behind has run down, when `settle` is given):
// raw `client.workflow.start` of an empty workflow, and the engine's minimum for a creation the workflow owns
// (update-with-start: one activity on another queue and one child start before the answer).
import type { Client } from '@temporalio/client';
import { rawWorkflowStart, workflowOwnedStart, type FixtureWorker } from '../fixture-worker.js';
import { alternate, timedBatch } from '../measure.js';
import type { Orders } from '../orders.js';

export interface OrderCreationOptions {
  rounds: number;
  perRound: number;
  concurrency: number;
  /** Runs before each round: waits until the stack is at rest again (`untilQuiet`). */
  settle?: () => Promise<unknown>;
}

export const ORDER_CREATION_DEFAULTS: OrderCreationOptions = { rounds: 3, perRound: 150, concurrency: 8 };

/** Per round: orders/s through the gateway, starts/s of the empty workflow, workflow-owned creations/s. */
export async function orderCreation(
  ctx: { orders: Orders; temporal: Client; fixtures: FixtureWorker },
  o: OrderCreationOptions = ORDER_CREATION_DEFAULTS,
): Promise<{ gateway: number[]; raw: number[]; owned: number[] }> {
  const rate = async (count: number, job: () => Promise<void>) => count / (await timedBatch(count, o.concurrency, job));
  const viaGateway = async () => void (await ctx.orders.create());
  const raw = rawWorkflowStart(ctx.temporal, ctx.fixtures);
  const owned = workflowOwnedStart(ctx.temporal, ctx.fixtures);
  // Warm-up, not counted: connections and JIT on every path.
  await rate(o.concurrency, viaGateway);
  await rate(o.concurrency, raw);
  await rate(o.concurrency, owned);
  return alternate(
    o.rounds,
    {
      gateway: () => rate(o.perRound, viaGateway),
      raw: () => rate(o.perRound, raw),
      owned: () => rate(o.perRound, owned),
    },
    o.settle,
  );
}
