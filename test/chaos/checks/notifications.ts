import { DeliveryLedger, messageIdFor } from '@esign/notification';
import { TASK_EVENT_TYPES, type TaskEvent } from '@esign/temporal-contracts';
import { expectedDeliveries, type ExpectedDelivery } from '../deliveries.js';
import type { FaultKind } from '../faults.js';
import { normalise } from '../mailbox.js';
import { MERCHANT_ID, type VerifyContext } from './context.js';

export interface NotificationFigures {
  expected: number;
  /** Arrived exactly once. */
  deliveredOnce: number;
  /** Arrived more than once (counting each extra arrival), with no fault to explain it. */
  duplicates: number;
  /**
   * URL callbacks called again (same X-Sign-Delivery-Id) after a fault cut in between the receiver's 200 and the
   * worker's record of it: the documented at-least-once of URL callbacks, absorbed by a receiver that deduplicates.
   */
  repeatedAfterFault: RepeatedCall[];
  /** Never arrived, and nothing recorded why. */
  lost: number;
  /** Never arrived; the delivery recorded an ERROR event (at most once: a send cut off mid-way is not repeated). */
  lostRecordedAsError: number;
  /** Arrived once, but recorded as ERROR (the send was cut off after the provider took it). */
  deliveredRecordedAsError: number;
  /** Deliveries no order should have had (e.g. after its deletion, or for a trigger it never reached). */
  unexpected: number;
  /** URL calls the receiver refused with 503 on purpose, each retried by the worker. */
  refusedOnPurpose: number;
  byChannel: Record<'URL' | 'EMAIL', { expected: number; deliveredOnce: number }>;
  /** The deliveries behind lostRecordedAsError and deliveredRecordedAsError, with their ERROR event. */
  recordedErrors: RecordedError[];
}

export interface RepeatedCall {
  delivery: string;
  /** How often the receiver answered 200, and the fault that hit between the first 200 and its record. */
  delivered: number;
  fault: FaultKind;
}

export interface RecordedError {
  outcome: 'not delivered' | 'delivered once';
  /** Which order and notification. */
  delivery: string;
  /** When the ERROR was recorded (ISO), and what it says. */
  eventTime: string;
  data: string;
  /** The delivery's state in the notification worker's ledger, e.g. `sending since <ISO>`: the attempt that died. */
  ledger: string;
  /** When the attempt that left the delivery uncertain claimed it (ISO), if the ledger says. */
  claimedAt?: string;
}

/** Every expected notification exactly once, against the URL receiver, the SMTP inbox and the task events. */
export async function checkNotifications(
  ctx: VerifyContext,
  eventsByOrder: Map<string, TaskEvent[]>,
  problems: string[],
): Promise<NotificationFigures> {
  const expected = ctx.runs.flatMap((r) => expectedDeliveries(r));
  const f: NotificationFigures = {
    expected: expected.length,
    deliveredOnce: 0,
    duplicates: 0,
    repeatedAfterFault: [],
    lost: 0,
    lostRecordedAsError: 0,
    deliveredRecordedAsError: 0,
    unexpected: 0,
    refusedOnPurpose: 0,
    byChannel: { URL: { expected: 0, deliveredOnce: 0 }, EMAIL: { expected: 0, deliveredOnce: 0 } },
    recordedErrors: [],
  };
  const mails = await ctx.mailbox.countByMessageId();
  const ledger = new DeliveryLedger({ redis: ctx.redis, keyPrefix: ctx.config.redis.keyPrefix });
  const recorded = async (deliveryId: string, error: TaskEvent) => {
    const state = await ledger.get(MERCHANT_ID, deliveryId);
    return {
      eventTime: error.eventTime,
      data: error.data ?? '',
      ledger: !state ? 'no state' : state.state === 'sending' ? `sending since ${state.since}` : `sent at ${state.at}`,
      ...(state?.state === 'sending' ? { claimedAt: state.since } : {}),
    };
  };
  const arrivals = (d: ExpectedDelivery) =>
    d.channel === 'URL'
      ? (ctx.receiver.byDelivery.get(d.id)?.delivered ?? 0)
      : (mails.get(normalise(messageIdFor(d.id))) ?? 0);
  for (const d of expected) {
    const events = (d.order.kind === 'cancel' ? d.order.eventsBeforeDelete : eventsByOrder.get(d.order.orderId!)) ?? [];
    const sent = events.filter((e) => e.eventType === TASK_EVENT_TYPES.NOTIFICATION_SENT && e.data === d.event).length;
    const error = events.find((e) => e.eventType === TASK_EVENT_TYPES.ERROR && e.data?.startsWith(`${d.event}:`));
    const n = arrivals(d);
    const what = `order #${d.order.index} (${d.order.kind}): ${d.event} [${d.id}]`;
    f.byChannel[d.channel].expected++;
    if (n === 1) {
      f.deliveredOnce++;
      f.byChannel[d.channel].deliveredOnce++;
    }
    const firstDelivery = ctx.receiver.byDelivery.get(d.id)?.calls.find((c) => c.status === 200)?.at;
    const explained = d.channel === 'URL' && firstDelivery ? ctx.explainRepeat(firstDelivery) : undefined;
    if (n > 1 && explained) f.repeatedAfterFault.push({ delivery: what, delivered: n, fault: explained });
    else if (n > 1) {
      f.duplicates += n - 1;
      problems.push(`${what}: delivered ${n} times`);
    }
    if (n === 0 && error) {
      f.lostRecordedAsError++;
      f.recordedErrors.push({ outcome: 'not delivered', delivery: what, ...(await recorded(d.id, error)) });
    } else if (n === 0) {
      f.lost++;
      problems.push(`${what}: never delivered, and no ERROR event says why`);
    } else if (error) {
      f.deliveredRecordedAsError++;
      f.recordedErrors.push({ outcome: 'delivered once', delivery: what, ...(await recorded(d.id, error)) });
    }
    // A cancelled order's events were read once its deliveries had arrived, so they must be recorded there too.
    if (n > 0 && !error && sent !== 1) problems.push(`${what}: ${sent} NOTIFICATION_SENT events, expected 1`);
    if (error && sent > 0) problems.push(`${what}: recorded both as sent and as ERROR`);
  }
  const expectedIds = new Set(expected.map((d) => d.id));
  const expectedMails = new Set(expected.map((d) => normalise(messageIdFor(d.id))));
  for (const [id, calls] of ctx.receiver.byDelivery) {
    f.refusedOnPurpose += calls.calls.filter((c) => c.status === 503).length;
    if (!expectedIds.has(id)) {
      f.unexpected += calls.delivered;
      problems.push(`URL delivery ${id} arrived ${calls.delivered} times, but no order should have had it`);
    }
  }
  for (const [messageId, count] of mails) {
    if (expectedMails.has(messageId)) continue;
    f.unexpected += count;
    problems.push(`e-mail ${messageId} arrived ${count} times, but no order should have had it`);
  }
  if (ctx.receiver.anonymous > 0) problems.push(`${ctx.receiver.anonymous} URL calls came without X-Sign-Delivery-Id`);
  return f;
}
