import { messageIdFor } from '@esign/notification';
import type { Client } from '@temporalio/client';
import { expectedDeliveries } from './deliveries.js';
import { normalise, type Mailbox } from './mailbox.js';
import type { OrderRun } from './order-run.js';
import type { UrlReceiver } from './receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every expected delivery arrived and no delivery workflow runs any more, or the timeout. */
export async function settle(
  runs: OrderRun[],
  temporal: Client,
  receiver: UrlReceiver,
  mailbox: Mailbox,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let idleSince: number | undefined;
  for (;;) {
    const expected = runs.flatMap((r) => expectedDeliveries(r));
    const mails = await mailbox.countByMessageId().catch(() => new Map<string, number>());
    const missing = expected.filter((d) =>
      d.channel === 'URL' ? !receiver.byDelivery.get(d.id)?.delivered : !mails.has(normalise(messageIdFor(d.id))),
    ).length;
    const running = await temporal.workflow
      .count(`WorkflowType = 'notificationDelivery' AND ExecutionStatus = 'Running'`)
      .then((c) => c.count)
      .catch(() => -1);
    if (missing === 0 && running === 0) return;
    // Nothing is under way any more, yet deliveries are missing: they will not come (the checks say which).
    idleSince = running === 0 ? (idleSince ?? Date.now()) : undefined;
    if (idleSince !== undefined && Date.now() - idleSince > 15_000) return;
    if (Date.now() > deadline) {
      log(`settle: timed out with ${missing} deliveries missing and ${running} delivery workflows running`);
      return;
    }
    log(`settle: ${missing} of ${expected.length} deliveries outstanding, ${running} delivery workflows running`);
    await sleep(2000);
  }
}
