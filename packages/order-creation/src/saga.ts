import type { Config } from '@esign/config';
import type { DocumentStore } from '@esign/document-store';
import {
  Artifacts,
  newOrderRecord,
  type CreationReservations,
  type OrderReader,
  type OrderRecord,
} from '@esign/order-store';
import { ids, type SigningOrderInput } from '@esign/temporal-contracts';
import { newOrderId } from '@esign/temporal-contracts/random';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { CreationConflict, CreationRefused } from './errors.js';
import { reserveOrderId } from './idempotency.js';
import { planSigningOrder } from './plan.js';
import { startSigningOrder } from './start.js';
import { missingUploadViolations, validateCreation } from './validate.js';

export interface CreationDeps {
  config: Config;
  temporal: Client;
  redis: Redis;
  store: DocumentStore;
  reader: OrderReader;
  reservations: CreationReservations;
}

export interface CreationRequest {
  merchantId: string;
  body: unknown;
  idempotencyKey?: string;
  /** W3C traceparent of the request, when traced: signer actions link their spans to it. */
  traceparent?: string;
}

/** The order as created (or as an idempotent replay found it), and the unknown fields of the body that were ignored. */
export interface CreatedOrder {
  record: OrderRecord;
  ignoredFields: string[];
  /** A single-sign-on artifact per task with `authentication.artifact` (fresh in every answer, each valid once). */
  artifacts: Record<string, string>;
}

/** An artifact for each task of the order that asks for one (`authentication.artifact: true`). */
async function issueArtifacts(deps: CreationDeps, record: OrderRecord): Promise<Record<string, string>> {
  const asking = record.order.tasks.filter((t) => t.authentication?.artifact);
  if (asking.length === 0) return {};
  const artifacts = new Artifacts({
    redis: deps.redis,
    keyPrefix: deps.config.redis.keyPrefix,
    lifetimeSeconds: deps.config.portal.artifactLifetimeSeconds,
  });
  const { merchantId, orderId } = record;
  const issued = await Promise.all(asking.map((t) => artifacts.issue({ merchantId, orderId, taskId: t.id })));
  return Object.fromEntries(asking.map((t, i) => [t.id, issued[i]!]));
}

/**
 * How long a creation's reservations last: far beyond the start's deadline (TEMPORAL_DEADLINE_SECONDS) and the order's first activity, so that
 * only a creation whose workflow never started (or workers down that long) outlives them.
 */
export const RESERVATION_MS = 60 * 60_000;

/**
 * `POST /orders` as one saga, with nothing left to sweep whatever step fails:
 * 1. validate everything (schema, rules, URL targets, uploads, server settings) — refused: nothing written;
 * 2. reserve the order id (`Idempotency-Key`) — a replay of a started creation answers that order;
 * 3. reserve the uploads and keep the order as answered, all or none, with a time-to-live (`CreationReservations`);
 * 4. start the order's workflow, whose first activity copies the uploads and records the read model.
 * Should the start fail or this process die before it, the reservations lapse by themselves and a retry with the
 * same `Idempotency-Key` completes the creation under the same order id. Answers the order as reads will show it.
 */
export async function createSigningOrder(deps: CreationDeps, req: CreationRequest): Promise<CreatedOrder> {
  const { merchantId } = req;
  const { order, uploads, ignoredFields } = await validateCreation(deps, merchantId, req.body);
  const { orderId, replay, release } = await reserveOrderId({
    redis: deps.redis,
    keyPrefix: deps.config.redis.keyPrefix,
    merchantId,
    key: req.idempotencyKey,
    body: req.body,
    newOrderId: newOrderId(),
  });
  if (replay) {
    const existing = await startedOrder(deps, merchantId, orderId);
    if (existing) return { record: existing, ignoredFields, artifacts: await issueArtifacts(deps, existing) };
  }
  const { urlRetryIntervalMs, urlRetryWindowMs } = deps.config.notifications;
  const input = planSigningOrder(order, {
    orderId,
    merchantId,
    createdAt: new Date().toISOString(),
    notify: { urlRetryIntervalMs, urlRetryWindowMs },
    uploads,
    ...(req.traceparent ? { traceparent: req.traceparent } : {}),
  });
  const begun = await beginOrder(
    { temporal: deps.temporal, reservations: deps.reservations, signCodeSecret: deps.config.signCodeSecret },
    input,
  );
  if ('missing' in begun) {
    // An upload expired or was deleted since it was checked: refused like a missing one, and the key is free again.
    await release();
    throw new CreationRefused('The signing order is invalid.', missingUploadViolations(order, new Set(begun.missing)));
  }
  return { record: begun.record, ignoredFields, artifacts: await issueArtifacts(deps, begun.record) };
}

/**
 * Steps 3 and 4 of the saga, for a planned order: reserve its uploads and keep it as answered (all or none), then
 * start its workflow. Answers the order as reads will show it, or the uploads gone since they were checked (then
 * nothing was reserved and nothing started). A workflow already started (a concurrent or repeated creation) is fine.
 */
export async function beginOrder(
  deps: { temporal: Client; reservations: CreationReservations; signCodeSecret: string; taskQueue?: string },
  input: SigningOrderInput,
): Promise<{ record: OrderRecord } | { missing: string[] }> {
  const uploads = input.uploads ?? [];
  const { record } = newOrderRecord(input, uploads, deps.signCodeSecret, 'uploads');
  const reserved = await deps.reservations.reserve(
    record,
    uploads.map((u) => u.documentId),
    RESERVATION_MS,
  );
  if (reserved.missing.length > 0) return { missing: reserved.missing };
  try {
    // Bounded by the client's deadline (TEMPORAL_DEADLINE_SECONDS): past it the creation answers 503 and the
    // reservations lapse.
    await startSigningOrder(deps.temporal, input, deps.taskQueue);
  } catch (err) {
    // Two requests with one Idempotency-Key at once: the other one started it.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { record };
}

/**
 * A repeated Idempotency-Key: the order, when its workflow was started (answer it again); null when its creation
 * never got to start it (create it now, under the same id). Started but gone (deleted since) → conflict.
 */
async function startedOrder(deps: CreationDeps, merchantId: string, orderId: string): Promise<OrderRecord | null> {
  try {
    await deps.temporal.workflow.getHandle(ids.order(orderId)).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  const order = await deps.reader.order(merchantId, orderId);
  if (order && order.status !== 'DELETED') return order;
  throw new CreationConflict('The order created with this Idempotency-Key no longer exists.');
}
