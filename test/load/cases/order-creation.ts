// Case 1: signing orders created per second through the gateway (auth, validation, document claim, workflow start,
// answered with the stored order) vs raw `client.workflow.start` of an empty workflow on the same Temporal server, at
// the same concurrency, in alternating rounds (each begun once the work the previous one left behind has run down,
// when `settle` is given).
import type { Client } from '@temporalio/client';
import { rawWorkflowStart, type FixtureWorker } from '../fixture-worker.js';
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

/** Per round: orders/s through the gateway, starts/s of the empty workflow. */
export async function orderCreation(
  ctx: { orders: Orders; temporal: Client; fixtures: FixtureWorker },
  o: OrderCreationOptions = ORDER_CREATION_DEFAULTS,
): Promise<{ gateway: number[]; raw: number[] }> {
  const rate = async (count: number, job: () => Promise<void>) => count / (await timedBatch(count, o.concurrency, job));
  const viaGateway = async () => void (await ctx.orders.create());
  const raw = rawWorkflowStart(ctx.temporal, ctx.fixtures);
  // Warm-up, not counted: connections and JIT on both paths.
  await rate(o.concurrency, viaGateway);
  await rate(o.concurrency, raw);
  return alternate(
    o.rounds,
    {
      gateway: () => rate(o.perRound, viaGateway),
      raw: () => rate(o.perRound, raw),
    },
    o.settle,
  );
}
