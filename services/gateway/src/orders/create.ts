import { loadSigningConfigurations } from '@esign/config';
import {
  documentRefPlaces,
  ioCheckPlaces,
  validateSigningOrder,
  type Delay,
  type SigningOrder,
  type TaskNotification,
  type Violation,
} from '@esign/contracts';
import { currentTraceparent } from '@esign/service-runtime';
import { checkNotificationUrl } from '@esign/url-guard';
import type { DocumentStore } from '@esign/document-store';
import { claimAndRecord, type OrderStore } from '@esign/order-store';
import {
  ids,
  SEARCH_ATTRIBUTE_KEYS,
  TASK_QUEUES,
  taskExpiries,
  WORKFLOW_TYPES,
  type PendingCreation,
  type SigningOrderInput,
  type PackagingTaskPlan,
  type TaskNotificationPlan,
} from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '@esign/config';
import type { Redis } from 'ioredis';
import { badRequest, HttpProblem } from '../problem.js';
import type { ExpiryTimers } from '../documents/expiry-timers.js';
import { reserveOrderId } from './idempotency.js';

export interface CreateOrderDeps {
  config: Config;
  temporal: Client;
  redis: Redis;
  store: DocumentStore;
  orders: OrderStore;
  expiryTimers: ExpiryTimers;
}

const MISSING_UPLOAD = 'names no document uploaded by this merchant (uploads are deleted 30 minutes after upload)';

type Place = { propertyPath: string; url: string };

/**
 * The URL notification targets of a body the schema may have refused, found defensively (anything not shaped like a
 * notification is skipped), so SSRF refusals are reported together with every other violation.
 */
function notificationTargets(body: unknown): Place[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const field = (v: unknown, key: string): unknown =>
    v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  const places: Place[] = [];
  const collect = (notifications: unknown, path: string) =>
    list(notifications).forEach((n, i) => {
      const url = field(n, 'recipient');
      if (field(n, 'type') === 'URL' && typeof url === 'string')
        places.push({ propertyPath: `${path}[${i}].recipient`, url });
    });
  list(field(body, 'tasks')).forEach((t, i) => collect(field(t, 'notifications'), `tasks[${i}].notifications`));
  collect(field(body, 'notifications'), 'notifications');
  list(field(body, 'packagingTasks')).forEach((p, i) =>
    collect(field(p, 'notifications'), `packagingTasks[${i}].notifications`),
  );
  return places;
}

/**
 * Every violation at once: the schema's and cross-field rules, each URL notification target checked against the
 * SSRF rules (contract §5), and — once the order is well-formed — each documentRef checked in storage.
 */
async function validate(body: unknown, merchantId: string, deps: CreateOrderDeps): Promise<SigningOrder> {
  const result = validateSigningOrder(body);
  const schemaViolations = result.ok ? [] : result.violations;
  const flagged = new Set(schemaViolations.map((v) => v.propertyPath));
  const targets = notificationTargets(body).filter((t) => !flagged.has(t.propertyPath));
  const places = result.ok ? documentRefPlaces(result.value) : [];
  const settings = result.ok ? serverSettingViolations(result.value, deps.config) : [];
  const policy = deps.config.notifications;
  const [refused, found] = await Promise.all([
    Promise.all(targets.map((t) => checkNotificationUrl(t.url, policy))),
    Promise.all(places.map((p) => deps.store.getMeta(merchantId, p.documentRef))),
  ]);
  const violations: Violation[] = [
    ...schemaViolations,
    ...targets.flatMap((t, i) => (refused[i] ? [{ propertyPath: t.propertyPath, message: refused[i] }] : [])),
    ...places.filter((_, i) => !found[i]).map((p) => ({ propertyPath: p.propertyPath, message: MISSING_UPLOAD })),
    ...settings,
  ];
  if (!result.ok || violations.length) throw badRequest('The signing order is invalid.', violations);
  return result.value;
}

/** A packaging task as its workflow needs it; a notification without schedule fires on COMPLETED. */
function packagingPlan(p: NonNullable<SigningOrder['packagingTasks']>[number]): PackagingTaskPlan {
  return {
    packagingTaskId: p.id,
    method: 'pades',
    sendToArchive: p.sendToArchive ?? false,
    documents: p.documents.map((d) => ({ taskId: d.taskId, documentIds: d.documentIds })),
    ...(p.notifications?.length
      ? {
          notifications: p.notifications.map(({ schedule, ...spec }) => ({
            ...spec,
            triggers: schedule?.map((s) => s.triggerStatus) ?? ['COMPLETED' as const],
          })),
        }
      : {}),
  };
}

const configurationNames = new Map<string | undefined, Set<string>>();

/**
 * What the server must know (contract §6-7): `configuration`/`profile` name a signing-interface configuration, every
 * identity method is configured, and THIRD_PARTY signature methods need a provider (none is configured here).
 */
function serverSettingViolations(order: SigningOrder, config: Config): Violation[] {
  const file = config.portal.configurationsFile;
  if (!configurationNames.has(file)) configurationNames.set(file, new Set(loadSigningConfigurations(file).keys()));
  const known = configurationNames.get(file)!;
  const methods = new Set(config.portal.identityMethods);
  const places = ioCheckPlaces(order);
  return [
    ...places.configurations
      .filter((p) => !known.has(p.name))
      .map((p) => ({
        propertyPath: p.propertyPath,
        message: `names no signing-interface configuration of this server (known: ${[...known].join(', ')})`,
      })),
    ...places.identityMethods
      .filter((p) => !methods.has(p.name))
      .map((p) => ({ propertyPath: p.propertyPath, message: 'names no identity method configured on this server' })),
    ...places.thirdPartySignatureMethods.map((p) => ({
      propertyPath: p.propertyPath,
      message: 'THIRD_PARTY signing needs a third-party signature provider, and none is configured',
    })),
  ];
}

const delayMs = (d: Delay | undefined) =>
  d ? (((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60_000 : 0;

/** A task notification without a schedule is sent when the task opens (CREATED), as a plain "please sign" does. */
function taskNotificationPlans(list: TaskNotification[] | undefined): TaskNotificationPlan[] | undefined {
  if (!list?.length) return undefined;
  return list.map(({ schedule, ...spec }) => ({
    ...spec,
    schedule: (schedule ?? [{ triggerStatus: 'CREATED' as const }]).map((entry) => ({
      triggerStatus: entry.triggerStatus,
      delayMs: delayMs(entry.delay),
    })),
  }));
}

function workflowInput(config: Config, orderId: string, merchantId: string, order: SigningOrder): SigningOrderInput {
  const notifies =
    !!order.notifications?.length ||
    order.tasks.some((t) => t.notifications?.length) ||
    !!order.packagingTasks?.some((p) => p.notifications?.length);
  const { urlRetryIntervalMs, urlRetryWindowMs } = config.notifications;
  const traceparent = currentTraceparent();
  return {
    orderId,
    merchantId,
    ...(order.clientReference ? { clientReference: order.clientReference } : {}),
    createdAt: new Date().toISOString(),
    daysUntilDeletion: order.daysUntilDeletion,
    tasks: order.tasks.map((task) => ({
      taskId: task.id,
      dependsOnTasks: task.dependsOnTasks ?? [],
      daysToLive: task.daysToLive,
      documents: task.documents
        .filter((d) => d.source === 'SESSION' && d.documentRef)
        .map((d) => ({ documentId: d.id, documentRef: d.documentRef! })),
      documentActions: Object.fromEntries(task.documents.map((d) => [d.id, d.action])),
      ...(task.notifications?.length ? { notifications: taskNotificationPlans(task.notifications) } : {}),
      ...(task.documents.some((d) => d.sendResultToArchive)
        ? { archiveDocuments: task.documents.filter((d) => d.sendResultToArchive).map((d) => d.id) }
        : {}),
    })),
    order: order as unknown as Record<string, unknown>,
    ...(order.notifications?.length ? { notifications: order.notifications } : {}),
    ...(order.packagingTasks?.length ? { packaging: order.packagingTasks.map(packagingPlan) } : {}),
    ...(traceparent ? { traceparent } : {}),
    ...(notifies ? { notify: { urlRetryIntervalMs, urlRetryWindowMs } } : {}),
  };
}

/** How long the gateway tries to start an order's workflow: far less than the creation check waits. */
const START_DEADLINE_MS = 30_000;

/**
 * `POST /orders`: validate everything, reserve the order id (Idempotency-Key), claim the uploads and record the
 * order in one step each (all or nothing), then start the order's workflow — one call to Temporal, as cheap as any
 * workflow start. Before anything is written the creation is listed under the durable check of its second
 * (`creationCheck`), which undoes it should the workflow never start (this process dying in between, or the start
 * failing); the workflow started, the listing is dropped. Answers the order's id; the order is stored by then.
 */
export async function createOrder(
  deps: CreateOrderDeps,
  merchantId: string,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<string> {
  const order = await validate(body, merchantId, deps);
  const { orderId, replay, release } = await reserveOrderId({
    redis: deps.redis,
    keyPrefix: deps.config.redis.keyPrefix,
    merchantId,
    key: idempotencyKey,
    body,
    newOrderId: newId(),
  });
  if (replay && (await replayed(deps, merchantId, orderId))) return orderId;
  const input = workflowInput(deps.config, orderId, merchantId, order);
  const second = Math.floor(Date.now() / 1000);
  const pending: PendingCreation = {
    merchantId,
    orderId,
    documentRefs: [...new Set(documentRefPlaces(order).map((p) => p.documentRef))],
    taskIds: input.tasks.map((t) => t.taskId),
  };
  await Promise.all([deps.orders.markCreation(second, pending), deps.expiryTimers.ensureCreationCheck(second)]);
  const record = () =>
    claimAndRecord(
      { uploads: deps.store, orders: deps.orders, signCodeSecret: deps.config.signCodeSecret },
      input,
      taskExpiries(input),
    );
  const claims = await record();
  if (claims.missingDocumentRefs.length > 0) {
    await deps.orders.unmarkCreation(second, pending);
    await release();
    const missing = new Set(claims.missingDocumentRefs);
    const violations = documentRefPlaces(order)
      .filter((p) => missing.has(p.documentRef))
      .map((p) => ({ propertyPath: p.propertyPath, message: MISSING_UPLOAD }));
    throw badRequest('The signing order is invalid.', violations);
  }
  try {
    await deps.temporal.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      deps.temporal.workflow.start(WORKFLOW_TYPES.SIGNING_ORDER, {
        workflowId: ids.order(orderId),
        taskQueue: TASK_QUEUES.ORCHESTRATOR,
        args: [{ ...input, claimed: claims.claimed }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { taskCount: order.tasks.length },
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTE_KEYS.ORDER_ID, value: orderId },
          { key: SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID, value: merchantId },
          { key: SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS, value: 'ACTIVE' },
          ...(order.clientReference
            ? [{ key: SEARCH_ATTRIBUTE_KEYS.CLIENT_REFERENCE, value: order.clientReference }]
            : []),
        ],
      }),
    );
  } catch (err) {
    // Two requests with one Idempotency-Key at once: the other one started it.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      // Whether the start took effect is unknown: the creation check settles it (undoing an order that never
      // started), and the Idempotency-Key keeps this order id, so a retry with it completes this creation.
      throw err;
    }
  }
  // A replayed key whose first creation was undone by its check while this one ran: record it again (idempotent).
  if (replay && !(await deps.orders.getOrder(merchantId, orderId))) await record();
  await deps.orders.unmarkCreation(second, pending);
  return orderId;
}

/**
 * A repeated Idempotency-Key: true when its order's workflow exists (answer that order), false when its creation
 * never got to start it (create it now, under the same id). Gone → 409.
 */
async function replayed(deps: CreateOrderDeps, merchantId: string, orderId: string): Promise<boolean> {
  try {
    await deps.temporal.workflow.getHandle(ids.order(orderId)).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
  if (await deps.orders.getOrder(merchantId, orderId)) return true;
  throw new HttpProblem(409, 'Conflict', 'The order created with this Idempotency-Key no longer exists.');
}
