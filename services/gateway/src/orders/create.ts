import { documentRefPlaces, validateSigningOrder, type SigningOrder, type Violation } from '@esign/contracts';
import type { DocumentStore } from '@esign/document-store';
import type { OrderStore } from '@esign/order-store';
import {
  ids,
  ORDER_MESSAGES,
  SEARCH_ATTRIBUTE_KEYS,
  TASK_QUEUES,
  WORKFLOW_TYPES,
  type CreationResult,
  type SigningOrderInput,
} from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { Config } from '@esign/config';
import type { Redis } from 'ioredis';
import { badRequest, HttpProblem } from '../problem.js';
import { reserveOrderId } from './idempotency.js';

export interface CreateOrderDeps {
  config: Config;
  temporal: Client;
  redis: Redis;
  store: DocumentStore;
  orders: OrderStore;
}

const MISSING_UPLOAD = 'names no document uploaded by this merchant (uploads are deleted 30 minutes after upload)';

export function taskUrl(config: Config, orderId: string, taskId: string): string {
  const query = new URLSearchParams({ request_id: orderId, task_id: taskId });
  return `${config.signingPortalUrl}/std/docaction?${query.toString()}`;
}

/** Every violation at once: the schema's and cross-field rules first, then each documentRef checked in storage. */
async function validate(body: unknown, merchantId: string, store: DocumentStore): Promise<SigningOrder> {
  const result = validateSigningOrder(body);
  if (!result.ok) throw badRequest('The signing order is invalid.', result.violations);
  const places = documentRefPlaces(result.value);
  const found = await Promise.all(places.map((p) => store.getMeta(merchantId, p.documentRef)));
  const violations: Violation[] = places
    .filter((_, i) => !found[i])
    .map((p) => ({ propertyPath: p.propertyPath, message: MISSING_UPLOAD }));
  if (violations.length) throw badRequest('The signing order is invalid.', violations);
  return result.value;
}

function workflowInput(config: Config, orderId: string, merchantId: string, order: SigningOrder): SigningOrderInput {
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
    })),
    order: order as unknown as Record<string, unknown>,
    signingUrls: Object.fromEntries(order.tasks.map((t) => [t.id, taskUrl(config, orderId, t.id)])),
  };
}

/**
 * `POST /orders`: validate everything, reserve the order id (Idempotency-Key), then start the order's workflow and
 * wait in one call (update-with-start) until it has claimed the documents and recorded the order. Either all of
 * that happens or none: a document that expired in between fails the creation, and the workflow releases what it
 * claimed. Answers the order as stored.
 */
export async function createOrder(
  deps: CreateOrderDeps,
  merchantId: string,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<string> {
  const order = await validate(body, merchantId, deps.store);
  const { orderId, release } = await reserveOrderId({
    redis: deps.redis,
    keyPrefix: deps.config.redis.keyPrefix,
    merchantId,
    key: idempotencyKey,
    body,
    newOrderId: newId(),
  });
  const input = workflowInput(deps.config, orderId, merchantId, order);
  const start = new WithStartWorkflowOperation(WORKFLOW_TYPES.SIGNING_ORDER, {
    workflowId: ids.order(orderId),
    taskQueue: TASK_QUEUES.ORCHESTRATOR,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { taskCount: order.tasks.length },
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTE_KEYS.ORDER_ID, value: orderId },
      { key: SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID, value: merchantId },
      { key: SEARCH_ATTRIBUTE_KEYS.ORDER_STATUS, value: 'ACTIVE' },
      ...(order.clientReference ? [{ key: SEARCH_ATTRIBUTE_KEYS.CLIENT_REFERENCE, value: order.clientReference }] : []),
    ],
  });
  let result: CreationResult;
  try {
    result = await deps.temporal.workflow.executeUpdateWithStart<Workflow, CreationResult, []>(
      ORDER_MESSAGES.CONFIRM_CREATION,
      {
        startWorkflowOperation: start,
      },
    );
  } catch (err) {
    // The key's order ran to its end already (completed or deleted): answer what is left of it, or say it is gone.
    if (err instanceof WorkflowExecutionAlreadyStartedError && (await deps.orders.getOrder(merchantId, orderId))) {
      return orderId;
    }
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new HttpProblem(409, 'Conflict', 'The order created with this Idempotency-Key no longer exists.');
    }
    await release();
    throw err;
  }
  if (!result.created) {
    await release();
    const missing = new Set(result.missingDocumentRefs);
    const violations = documentRefPlaces(order)
      .filter((p) => missing.has(p.documentRef))
      .map((p) => ({ propertyPath: p.propertyPath, message: MISSING_UPLOAD }));
    throw badRequest('The signing order is invalid.', violations);
  }
  return orderId;
}
