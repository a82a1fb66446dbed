// The checks after the chaos: every order where it should be, every document intact, every notification once, and
// nothing left in Redis or S3 that no live order or upload owns. Each check collects problems in words; none throws,
// so one run reports everything that went wrong at once.
import type { Config } from '@esign/config';
import { OrderStore } from '@esign/order-store';
import { SEARCH_ATTRIBUTES, TASK_EVENT_TYPES, ids, type TaskEvent } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { DeliveryLedger, messageIdFor } from '@esign/notification';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import type { MerchantApi } from './http.js';
import { normalise, type Mailbox } from './mailbox.js';
import {
  DOCUMENT_ID,
  TASK_ID,
  expectedDeliveries,
  sha256,
  taskEvents,
  type ExpectedDelivery,
  type OrderRun,
} from './orders.js';
import type { FaultKind } from './faults.js';
import type { UrlReceiver } from './receiver.js';

export const MERCHANT_ID = 'demo-merchant';

export interface VerifyContext {
  api: MerchantApi;
  temporal: Client;
  receiver: UrlReceiver;
  mailbox: Mailbox;
  redis: Redis;
  s3: Minio.Client;
  config: Config;
  runs: OrderRun[];
  /**
   * The fault that explains a URL delivery repeated after its first 200 at `deliveredAt` (epoch ms), if one does:
   * the sender died, or could not record the 200, before it knew. Unexplained repeats are duplicates.
   */
  explainRepeat: (deliveredAt: number) => FaultKind | undefined;
}

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

export interface Verification {
  ordersChecked: number;
  originalsChecked: number;
  resultsChecked: number;
  notifications: NotificationFigures;
  redisKeys: { total: number; live: number; ttlBounded: number; timers: number };
  s3Objects: { total: number; live: number; awaitingExpiry: number };
  /** Everything that failed, in words. Empty means the run passed. */
  problems: string[];
  /** Lost documents (originals or results missing or changed). */
  documentsLost: number;
  /** Orders that exist more than once for one Idempotency-Key. */
  duplicateOrders: number;
  orphans: number;
}

const live = (r: OrderRun) => r.orderId !== undefined && r.kind !== 'cancel';

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

/** Final state, events and documents of one order. */
async function checkOrder(
  ctx: VerifyContext,
  orders: OrderStore,
  run: OrderRun,
  name: string,
  problems: string[],
  events: Map<string, TaskEvent[]>,
): Promise<{ documents: number; originals: number; results: number }> {
  const orderId = run.orderId!;
  const figures = { documents: 0, originals: 0, results: 0 };
  const order = await ctx.api.call('GET', `/orders/${orderId}`);
  const record = await orders.getOrder(MERCHANT_ID, orderId);
  const workflow = await ctx.temporal.workflow
    .getHandle(ids.order(orderId))
    .describe()
    .then((d) => d.status.name)
    .catch((err: unknown) => `not found (${err instanceof Error ? err.name : String(err)})`);
  if (run.kind === 'cancel') {
    if (order.status !== 404) problems.push(`${name}: deleted, but GET answers ${order.status}`);
    if (record) problems.push(`${name}: deleted, but its read model is still in Redis (status ${record.status})`);
    if (workflow !== 'COMPLETED') problems.push(`${name}: deleted, but its workflow is ${workflow}`);
    const original = await ctx.api.call('GET', `/orders/${orderId}/tasks/${TASK_ID}/documents/${DOCUMENT_ID}/original`);
    if (original.status !== 404) problems.push(`${name}: deleted, but its original answers ${original.status}`);
    return figures;
  }
  const expected =
    run.kind === 'sign' ? { task: 'COMPLETED', order: 'COMPLETED' } : { task: 'REJECTED', order: 'ENDED' };
  if (order.status !== 200) {
    problems.push(`${name}: GET answers ${order.status}, expected the order`);
    figures.documents++;
    return figures;
  }
  const status = await ctx.api.call('GET', `/orders/${orderId}/tasks/${TASK_ID}/status`);
  const taskStatus = (JSON.parse(status.body.toString()) as { taskStatus?: string }).taskStatus;
  if (taskStatus !== expected.task) problems.push(`${name}: task is ${taskStatus}, expected ${expected.task}`);
  if (record?.status !== expected.order) {
    problems.push(`${name}: order is ${record?.status ?? 'missing'} in the read model, expected ${expected.order}`);
  }
  // A finished order waits for its deletion date: its workflow runs on.
  if (workflow !== 'RUNNING') problems.push(`${name}: its workflow is ${workflow}, expected RUNNING until deletion`);

  const list = await taskEvents(ctx.api, orderId);
  events.set(orderId, list);
  const once = (type: string) => {
    const n = list.filter((e) => e.eventType === type).length;
    if (n !== 1) problems.push(`${name}: ${n} ${type} events, expected 1`);
  };
  once(TASK_EVENT_TYPES.CREATED);
  once(TASK_EVENT_TYPES.STARTED);
  if (run.kind === 'sign') {
    once(TASK_EVENT_TYPES.SIGNED);
    once(TASK_EVENT_TYPES.COMPLETED);
  } else {
    once(TASK_EVENT_TYPES.REJECTED);
  }

  const docs = `/orders/${orderId}/tasks/${TASK_ID}/documents/${DOCUMENT_ID}`;
  const original = await ctx.api.call('GET', `${docs}/original`);
  figures.originals++;
  if (original.status !== 200 || sha256(original.body) !== run.sha256) {
    problems.push(`${name}: original lost or changed (HTTP ${original.status}, SHA-256 ${sha256(original.body)})`);
    figures.documents++;
  }
  const result = await ctx.api.call('GET', `${docs}/result`);
  if (run.kind === 'reject') {
    if (result.status !== 409) problems.push(`${name}: a rejected task's result answers ${result.status}, not 409`);
    return figures;
  }
  figures.results++;
  // The seal is an incremental update: the signed PDF is the original, byte for byte, followed by the signature.
  const sealed =
    result.status === 200 &&
    result.body.subarray(0, 5).toString() === '%PDF-' &&
    result.body.length > run.pdf.length &&
    result.body.subarray(0, run.pdf.length).equals(run.pdf);
  if (!sealed) {
    problems.push(
      `${name}: result lost or not the sealed original (HTTP ${result.status}, ${result.body.length} bytes)`,
    );
    figures.documents++;
  }
  return figures;
}

/** Every expected notification exactly once, against the URL receiver, the SMTP inbox and the task events. */
async function checkNotifications(
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

/** One signingOrder workflow per Idempotency-Key (each order has its own clientReference), however often retried. */
async function checkOneOrderPerKey(ctx: VerifyContext, problems: string[]): Promise<number> {
  const byReference = new Map<string, string[]>();
  for await (const wf of ctx.temporal.workflow.list({ query: `WorkflowType = 'signingOrder'` })) {
    const ref = wf.searchAttributes?.[SEARCH_ATTRIBUTES.CLIENT_REFERENCE]?.[0];
    const key = typeof ref === 'string' ? ref : `(no client reference) ${wf.workflowId}`;
    byReference.set(key, [...(byReference.get(key) ?? []), wf.workflowId]);
  }
  const known = new Set(ctx.runs.map((r) => r.clientReference));
  let duplicates = 0;
  for (const [ref, workflows] of byReference) {
    if (!known.has(ref)) problems.push(`signing order workflow(s) ${workflows.join(', ')} belong to no client's order`);
    else if (workflows.length > 1) {
      duplicates += workflows.length - 1;
      problems.push(`${ref}: ${workflows.length} order workflows for one Idempotency-Key: ${workflows.join(', ')}`);
    }
  }
  for (const run of ctx.runs) {
    if (run.orderId && !byReference.has(run.clientReference)) {
      problems.push(`order #${run.index} (${run.orderId}) has no signing order workflow`);
    }
  }
  return duplicates;
}

async function scanKeys(redis: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
  return [...new Set(keys)];
}

async function listObjects(s3: Minio.Client, bucket: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of s3.listObjectsV2(bucket, '', true) as AsyncIterable<{ name?: string }>) {
    if (item.name) names.push(item.name);
  }
  return names;
}

/**
 * Every Redis key and S3 object must belong to a live order or to an upload its expiry timer will end (uploads are the
 * client's, whatever orders did with them: orders keep copies), or be bookkeeping that expires on its own (a TTL) or
 * is a pending timer's list; a deleted order must leave nothing behind.
 */
async function checkOrphans(ctx: VerifyContext, v: Verification, problems: string[]): Promise<number> {
  const prefix = ctx.config.redis.keyPrefix;
  const liveOrders = new Set(ctx.runs.filter(live).map((r) => r.orderId!));
  const deletedOrders = new Set(ctx.runs.filter((r) => r.kind === 'cancel' && r.orderId).map((r) => r.orderId!));
  const keys = await scanKeys(ctx.redis, `${prefix}*`);
  v.redisKeys.total = keys.length;
  // Uploads listed under an expiry timer: every upload waits there for its 30 minutes (orders copy what they use).
  const expiring = new Set<string>();
  const timerKeys = keys.filter((k) => k.slice(prefix.length).startsWith('upload-expiry:'));
  for (const key of timerKeys) {
    for (const member of await ctx.redis.smembers(key)) {
      expiring.add((JSON.parse(member) as { objectKey: string }).objectKey);
    }
  }
  let orphans = 0;
  const orphan = (what: string) => {
    orphans++;
    problems.push(`orphan: ${what}`);
  };
  const ofOrder = (orderId: string, key: string) => {
    if (liveOrders.has(orderId)) v.redisKeys.live++;
    else if (deletedOrders.has(orderId)) orphan(`Redis key ${key} of deleted order ${orderId}`);
    else orphan(`Redis key ${key} of order ${orderId}, which no client created`);
  };
  for (const key of keys) {
    const k = key.slice(prefix.length);
    let m: RegExpExecArray | null;
    if ((m = /^m:[^:]+:order:([^:]+)(:state|:task:[^:]+:events(:ids)?)?$/.exec(k))) ofOrder(m[1]!, key);
    else if ((m = /^order-owner:(.+)$/.exec(k))) ofOrder(m[1]!, key);
    else if (k.startsWith('signcode:')) {
      const target = JSON.parse((await ctx.redis.get(key)) ?? '{}') as { orderId?: string };
      ofOrder(target.orderId ?? '(unreadable)', key);
    } else if ((m = /^m:([^:]+):upload:([^:]+)$/.exec(k))) {
      if (expiring.has(`uploads/${m[1]}/${m[2]}`)) v.redisKeys.live++;
      else orphan(`Redis key ${key}: an upload no expiry timer will end`);
    } else if (timerKeys.includes(key)) v.redisKeys.timers++;
    else if (
      /^(m:[^:]+:(idem|delivery|otp|creation):|m:[^:]+:upload:[^:]+:reservations$|creation-signcode:|ratelimit:|portal-session:|portal-limit:|diagnostics:)/.test(
        k,
      )
    ) {
      // Bookkeeping that outlives orders on purpose (idempotency 24 h, delivery ledger 30 days): it must expire.
      const ttl = await ctx.redis.pttl(key);
      if (ttl > 0) v.redisKeys.ttlBounded++;
      else orphan(`Redis key ${key} never expires (PTTL ${ttl})`);
    } else orphan(`Redis key ${key}: nothing the system owns looks like it`);
  }

  const { documents, archive } = ctx.config.s3.buckets;
  const objects = await listObjects(ctx.s3, documents);
  v.s3Objects.total = objects.length;
  for (const name of objects) {
    let m: RegExpExecArray | null;
    if ((m = /^(?:results|orders|signer-uploads)\/[^/]+\/([^/]+)\//.exec(name))) {
      if (liveOrders.has(m[1]!)) v.s3Objects.live++;
      else orphan(`S3 object ${name} of ${deletedOrders.has(m[1]!) ? 'deleted' : 'unknown'} order ${m[1]}`);
    } else if (/^uploads\/[^/]+\/[^/]+$/.test(name)) {
      if (expiring.has(name)) v.s3Objects.awaitingExpiry++;
      else orphan(`S3 object ${name}: an upload no expiry timer will end`);
    } else orphan(`S3 object ${name}: nothing the system owns looks like it`);
  }
  for (const run of ctx.runs.filter(live)) {
    if (!objects.includes(storageKeys.orderDocument(MERCHANT_ID, run.orderId!, run.documentRef!))) {
      problems.push(`order #${run.index}: the order's copy of its original is missing from S3`);
    }
  }
  for (const name of await listObjects(ctx.s3, archive)) orphan(`S3 object ${archive}/${name}: nothing was archived`);
  return orphans;
}
