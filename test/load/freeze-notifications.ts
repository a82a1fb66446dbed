// The notifications of the orders a freeze run created: each order asked for an invitation e-mail and a URL callback
// when its task was created; after the resume each must arrive exactly once. Reports how long after the resume the
// last one came (the delay a frozen worker or SMTP server cost).
import { ids } from '@esign/temporal-contracts';
import type { Mailbox } from '../chaos/mailbox.js';
import type { UrlReceiver } from '../chaos/receiver.js';
import type { FreezeResult } from './freeze.js';

export interface FreezeNotifications {
  /** Deliveries expected: an e-mail and a URL callback per order. */
  expected: number;
  deliveredOnce: number;
  /** Deliveries that arrived more than once (a URL callback answered 200 twice, or two e-mails to one signer). */
  duplicates: string[];
  /** Deliveries that had not arrived when the wait ended. */
  missing: string[];
  /** How long after the resume the last delivery arrived (0: every one arrived before the resume). */
  lastAfterResumeMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits up to `timeoutMs` for every order's two deliveries, then `quietMs` more (a late duplicate would show). */
export async function awaitNotifications(
  result: FreezeResult,
  watch: { receiver: UrlReceiver; mailbox: Mailbox },
  opts: { timeoutMs: number; quietMs: number },
): Promise<FreezeNotifications> {
  const count = async () => {
    const outcome = { arrivals: [] as number[], counts: new Map<string, number>() };
    const mails = await watch.mailbox.list();
    for (const order of result.orders) {
      const hook = ids.notification(order.id, { taskId: 'signer1' }, 'hook', 'CREATED-0');
      const calls = watch.receiver.byDelivery.get(hook);
      outcome.counts.set(`URL ${hook}`, calls?.delivered ?? 0);
      const firstOk = calls?.calls.find((c) => c.status === 200);
      if (firstOk) outcome.arrivals.push(firstOk.at);
      const invites = mails.filter((m) => m.to === order.recipient);
      outcome.counts.set(`EMAIL invite of order ${order.id}`, invites.length);
      if (invites[0]?.receivedAt) outcome.arrivals.push(invites[0].receivedAt);
    }
    return outcome;
  };
  const deadline = Date.now() + opts.timeoutMs;
  let seen = await count();
  while ([...seen.counts.values()].some((n) => n === 0) && Date.now() < deadline) {
    await sleep(500);
    seen = await count();
  }
  await sleep(opts.quietMs);
  seen = await count();
  const entries = [...seen.counts.entries()];
  return {
    expected: entries.length,
    deliveredOnce: entries.filter(([, n]) => n === 1).length,
    duplicates: entries.filter(([, n]) => n > 1).map(([what, n]) => `${what}: ${n}×`),
    missing: entries.filter(([, n]) => n === 0).map(([what]) => what),
    lastAfterResumeMs: Math.max(0, ...seen.arrivals.map((at) => at - result.resumedAt)),
  };
}
