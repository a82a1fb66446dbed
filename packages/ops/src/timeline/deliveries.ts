import {
  ids,
  type NotificationDeliveryInput,
  type NotificationDeliveryOutcome,
  type SendResult,
  type UrlCallResult,
} from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import type { OpsContext } from '../context.js';
import { activityRuns, completedResult, fetchDecodedHistory, startInput, type ActivityRun } from './history.js';

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  outcome: string;
  reason?: string;
}

/** One notification delivery (a `notificationDelivery` workflow): what it was for, each attempt, how it ended. */
export interface Delivery {
  deliveryId: string;
  notificationId: string;
  channel: string;
  trigger: string | null;
  taskId: string | null;
  packagingTaskId: string | null;
  /** For an operator's redrive: the delivery it sent again. */
  redriveOf: string | null;
  workflowStatus: string;
  startedAt: string;
  outcome: NotificationDeliveryOutcome | null;
  /** The notification worker's at-most-once record of it (`sent`, `sending`), while kept. */
  ledger: string | null;
  attempts: DeliveryAttempt[];
  url: string;
}

const SENDING = new Set(['callUrl', 'sendEmail', 'sendSms']);

function attemptOf(run: ActivityRun, i: number): DeliveryAttempt {
  const at = run.endedAt ?? run.scheduledAt;
  if (run.activity === 'callUrl') {
    const r = run.result as UrlCallResult | undefined;
    if (r?.outcome === 'FAILED') return { attempt: i + 1, at: r.at, outcome: 'FAILED', reason: r.reason };
    if (r) return { attempt: i + 1, at: r.at, outcome: r.outcome };
  } else {
    const r = run.result as SendResult | undefined;
    // E-mail and SMS are one activity retried by Temporal: its attempt counter is the attempt number.
    if (r) return { attempt: run.attempt, at, outcome: r.outcome };
    if (run.failure) return { attempt: run.attempt, at, outcome: 'FAILED', reason: run.failure };
  }
  if (run.failure) return { attempt: i + 1, at, outcome: 'FAILED', reason: run.failure };
  return { attempt: i + 1, at: run.scheduledAt, outcome: 'IN_FLIGHT' };
}

/** A delivery as its workflow's history and the delivery ledger tell it; null when no such workflow exists. */
export async function readDelivery(ctx: OpsContext, client: Client, deliveryId: string): Promise<Delivery | null> {
  const handle = client.workflow.getHandle(deliveryId);
  const description = await handle.describe().catch(() => null);
  if (!description) return null;
  const history = await fetchDecodedHistory(client, deliveryId);
  const input = startInput<NotificationDeliveryInput>(history);
  if (!input) return null;
  const ledger = await ctx
    .ledger()
    .get(input.merchantId, deliveryId)
    .catch(() => null);
  return {
    deliveryId,
    notificationId: input.notification.id,
    channel: input.notification.type,
    trigger: input.trigger?.status ?? null,
    taskId: input.taskId ?? null,
    packagingTaskId: input.packagingTaskId ?? null,
    redriveOf: input.redriveOf ?? null,
    workflowStatus: description.status.name,
    startedAt: description.startTime.toISOString(),
    outcome: completedResult<NotificationDeliveryOutcome>(history) ?? null,
    ledger: ledger?.state ?? null,
    attempts: activityRuns(history)
      .filter((r) => SENDING.has(r.activity))
      .map(attemptOf),
    url: ctx.workflowUrl(deliveryId, description.runId),
  };
}

/** The redrives of a delivery, in order (`<id>-redrive-1`, `-2`, … until one does not exist). */
export async function redrivesOf(ctx: OpsContext, client: Client, deliveryId: string): Promise<Delivery[]> {
  const found: Delivery[] = [];
  for (let n = 1; ; n++) {
    const redrive = await readDelivery(ctx, client, ids.redrive(deliveryId, n));
    if (!redrive) return found;
    found.push(redrive);
  }
}
