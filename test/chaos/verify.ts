// The checks after the chaos: every order where it should be, every document intact, every notification once, and
// nothing left in Redis or S3 that no live order or upload owns. Each check collects problems in words; none throws,
// so one run reports everything that went wrong at once.
import { OrderStore } from '@esign/order-store';
import type { TaskEvent } from '@esign/temporal-contracts';
import type { Verification, VerifyContext } from './checks/context.js';
import { checkNotifications, type NotificationFigures } from './checks/notifications.js';
import { checkOrder } from './checks/order.js';
import { checkOrphans } from './checks/orphans.js';
import { checkOneOrderPerKey } from './checks/workflows.js';

export async function verify(ctx: VerifyContext): Promise<Verification> {
  const problems: string[] = [];
  const orders = new OrderStore({ redis: ctx.redis, keyPrefix: ctx.config.redis.keyPrefix });
  const events = new Map<string, TaskEvent[]>();
  const v: Verification = {
    ordersChecked: 0,
    originalsChecked: 0,
    resultsChecked: 0,
    notifications: undefined as unknown as NotificationFigures,
    redisKeys: { total: 0, live: 0, ttlBounded: 0, timers: 0 },
    s3Objects: { total: 0, live: 0, awaitingExpiry: 0 },
    problems,
    documentsLost: 0,
    duplicateOrders: 0,
    orphans: 0,
  };

  for (const run of ctx.runs) {
    const name = `order #${run.index} (${run.kind}${run.orderId ? ` ${run.orderId}` : ''})`;
    if (run.error) problems.push(`${name} could not be driven to its end: ${run.error}`);
    if (new Set(run.createdIds).size > 1) {
      problems.push(`${name}: one Idempotency-Key answered several orders: ${[...new Set(run.createdIds)].join(', ')}`);
      v.duplicateOrders++;
    }
    if (!run.orderId) continue;
    v.ordersChecked++;
    try {
      const lost = await checkOrder(ctx, orders, run, name, problems, events);
      v.documentsLost += lost.documents;
      v.originalsChecked += lost.originals;
      v.resultsChecked += lost.results;
    } catch (err) {
      problems.push(`${name}: could not be checked: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  v.notifications = await checkNotifications(ctx, events, problems);
  v.duplicateOrders += await checkOneOrderPerKey(ctx, problems);
  v.orphans = await checkOrphans(ctx, v, problems);
  return v;
}
