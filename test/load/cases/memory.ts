// Case 5: resident memory of each service process (VmRSS) — idle after start, peak under load, and with many open
// (unsigned) orders.
import type { Stack } from '@esign/devstack';
import type { Client } from '@temporalio/client';
import { rssMedians, timedBatch } from '../measure.js';
import type { Orders } from '../orders.js';

export interface ServiceProcess {
  name: string;
  pid: number;
}

/** The stack's service processes (not its servers: Temporal, SeaweedFS, Redis, MailDev). */
export const serviceProcesses = (stack: Stack): ServiceProcess[] =>
  stack.services.map((s) => ({ name: s.name, pid: s.process.pid }));

/** Signing orders whose workflow runs (created, not yet deleted). */
export async function runningOrders(temporal: Client): Promise<number> {
  return (await temporal.workflow.count(`WorkflowType = 'signingOrder' AND ExecutionStatus = 'Running'`)).count;
}

/**
 * Creates `count` more orders and leaves them unsigned; once the stack has settled (`settleMs`), the median RSS
 * (MB) of each service over three samples a second apart, and how many orders are open by then.
 */
export async function rssWithOpenOrders(
  ctx: { stack: Stack; orders: Orders; temporal: Client },
  count: number,
  o: { concurrency: number; settleMs: number } = { concurrency: 8, settleMs: 5000 },
): Promise<{ rss: Record<string, number>; created: number; open: number; seconds: number }> {
  const seconds = await timedBatch(count, o.concurrency, async () => void (await ctx.orders.create()));
  await new Promise((res) => setTimeout(res, o.settleMs));
  const rss = await rssMedians(serviceProcesses(ctx.stack));
  return { rss, created: count, open: await runningOrders(ctx.temporal), seconds };
}
