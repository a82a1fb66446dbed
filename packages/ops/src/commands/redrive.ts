import { ids, WORKFLOW_TYPES, type NotificationDeliveryInput } from '@esign/temporal-contracts';
import type { OpsContext } from '../context.js';
import { OpsError, type Outcome } from '../output.js';
import { readDelivery, redrivesOf, type Delivery } from '../timeline/deliveries.js';
import { fetchDecodedHistory, startInput } from '../timeline/history.js';

export interface RedriveResult {
  redriveOf: string;
  deliveryId: string;
  url: string;
  /** The redrive's outcome, with `--wait`. */
  outcome?: Delivery['outcome'];
}

const succeeded = (d: Delivery) => d.outcome?.outcome === 'DELIVERED' || d.outcome?.outcome === 'SENT';

/**
 * Sends a failed delivery again as a new delivery: a `notificationDelivery` workflow with a delivery id of its own
 * (`<original>-redrive-<n>`), the original's notification and task, no delay, a fresh retry window, and `redriveOf`
 * naming the original, which its event on the task and its URL call's `X-Sign-Redrive-Of` header repeat. Refused
 * unless the original (and every earlier redrive) has ended without reaching its recipient: no silent duplicates.
 * One that may have reached it (the ledger says `sending`) is redriven only with `force`.
 */
export async function redrive(
  ctx: OpsContext,
  deliveryId: string,
  opts: { wait: boolean; force?: boolean },
): Promise<Outcome<RedriveResult>> {
  const root = ids.redriven(deliveryId);
  const client = await ctx.temporal();
  const original = await readDelivery(ctx, client, root);
  if (!original) throw new OpsError(`no notification delivery ${root}`);
  const tries = [original, ...(await redrivesOf(ctx, client, root))];
  const open = tries.find((d) => d.workflowStatus === 'RUNNING');
  if (open)
    throw new OpsError(`${open.deliveryId} is still running: wait for its outcome`, { deliveryId: open.deliveryId });
  const done = tries.find(succeeded);
  if (done) {
    throw new OpsError(`${done.deliveryId} was ${done.outcome!.outcome}: a redrive would send it twice`, {
      deliveryId: done.deliveryId,
    });
  }
  // An attempt that died while handing an e-mail or SMS to its provider left `sending`: it may have gone out.
  const uncertain = tries.find((d) => d.ledger === 'sending');
  if (uncertain && !opts.force) {
    throw new OpsError(
      `${uncertain.deliveryId} may have been sent (an attempt died while handing it to the provider): ` +
        'pass --force to send it again anyway',
      { deliveryId: uncertain.deliveryId },
    );
  }
  if (original.outcome?.outcome !== 'FAILED') {
    const why = original.outcome
      ? `${original.outcome.outcome} (${'reason' in original.outcome ? original.outcome.reason : ''})`
      : original.workflowStatus;
    throw new OpsError(`${root} did not fail but ended ${why}: nothing to redrive`, { deliveryId: root });
  }
  const handle = client.workflow.getHandle(root);
  const [input, description] = await Promise.all([
    fetchDecodedHistory(client, root).then((h) => startInput<NotificationDeliveryInput>(h)),
    handle.describe(),
  ]);
  if (!input) throw new OpsError(`cannot read the input of ${root}`);
  const next = ids.redrive(root, tries.length);
  await client.workflow.start(WORKFLOW_TYPES.NOTIFICATION_DELIVERY, {
    workflowId: next,
    // Where the original ran: the orchestrator's queue.
    taskQueue: description.taskQueue,
    args: [{ ...input, ...(input.trigger ? { trigger: { ...input.trigger, delayMs: 0 } } : {}), redriveOf: root }],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  const json: RedriveResult = { redriveOf: root, deliveryId: next, url: ctx.workflowUrl(next) };
  if (!opts.wait) return { ok: true, json, text: `started ${next} (redrive of ${root})\n${json.url}` };
  await client.workflow.getHandle(next).result();
  const outcome = (await readDelivery(ctx, client, next))?.outcome ?? null;
  const ok = outcome?.outcome === 'DELIVERED' || outcome?.outcome === 'SENT';
  return {
    ok,
    json: { ...json, outcome },
    text: `${next} (redrive of ${root}): ${outcome?.outcome ?? 'unknown'}\n${json.url}`,
  };
}
