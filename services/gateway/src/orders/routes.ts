import { v1Event } from '@esign/contracts';
import { createSigningOrder, CreationConflict, CreationRefused, type CreationDeps } from '@esign/order-creation';
import { shownDocument, taskSpec, type OrderReader, type OrderRecord } from '@esign/order-store';
import { currentTraceparent, type DocumentBytes, type DocumentKind } from '@esign/service-runtime';
import { ids, ORDER_MESSAGES, own } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Response } from 'express';
import type * as Minio from 'minio';
import { merchantOf } from '../auth/authenticate.js';
import type { OperationHandlers } from '../operations.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { sendStoredDocument } from '../documents/send-stored.js';
import { reportIgnoredFields } from './ignored-fields.js';
import { apiUri, apiUrlOf, orderView, taskStatusView } from './views.js';

type Params = Record<string, string>;

export type OrderRouteDeps = CreationDeps & { s3: Minio.Client; documentBytes?: DocumentBytes };

/**
 * The order of this merchant, from the read model (so reads work while workflow workers are down) or, right after
 * its creation, from the creation's reservation; else 404.
 */
async function orderOf(reader: OrderReader, res: Response, params: Params): Promise<OrderRecord> {
  const { orderId = '' } = params;
  const record = ids.isSafe(orderId) ? await reader.order(merchantOf(res), orderId) : null;
  if (!record || record.status === 'DELETED') throw notFound('No signing order with this id.');
  return record;
}

// Ids in the path are the client's: looked up as own keys only (`own`), so `constructor` is no task of every order.
function taskOf(record: OrderRecord, params: Params) {
  const task = own(record.tasks, params.taskId ?? '');
  if (!task) throw notFound('No task with this id in the signing order.');
  return task;
}

function packagingOf(record: OrderRecord, params: Params) {
  const packaging = own(record.packaging, params.packagingTaskId ?? '');
  if (!packaging) throw notFound('No packaging task with this id in the signing order.');
  return packaging;
}

/** Signing orders (contract §4): create, read, delete, and each task's status, events and documents. */
export function orderHandlers(deps: OrderRouteDeps): OperationHandlers {
  const base = deps.config.apiBasePath;
  const apiUrl = apiUrlOf(deps.config);
  const out = (kind: DocumentKind) => ({ documentBytes: deps.documentBytes, kind });
  return {
    async createSigningOrder(req, res) {
      if (!req.is(['application/json', 'application/*+json'])) {
        throw new HttpProblem(415, 'Unsupported Media Type', 'Send the signing order as application/json.');
      }
      const traceparent = currentTraceparent();
      const request = {
        merchantId: merchantOf(res),
        body: req.body as unknown,
        ...(req.header('Idempotency-Key') !== undefined ? { idempotencyKey: req.header('Idempotency-Key') } : {}),
        ...(traceparent ? { traceparent } : {}),
      };
      const { record, ignoredFields, artifacts } = await createSigningOrder(deps, request).catch((err: unknown) => {
        if (err instanceof CreationRefused) throw badRequest(err.detail, err.violations);
        if (err instanceof CreationConflict) throw new HttpProblem(409, 'Conflict', err.detail);
        throw err;
      });
      reportIgnoredFields(res, ignoredFields);
      res
        .status(201)
        .location(`${base}/orders/${record.orderId}`)
        .json(orderView(record, deps.config.signingPortalUrl, artifacts));
    },

    async getSigningOrder(req, res) {
      res.json(orderView(await orderOf(deps.reader, res, req.params as Params), deps.config.signingPortalUrl));
    },

    async deleteSigningOrder(req, res) {
      const record = await orderOf(deps.reader, res, req.params as Params);
      try {
        await deps.temporal.workflow.getHandle(ids.order(record.orderId)).executeUpdate(ORDER_MESSAGES.CANCEL_ORDER);
      } catch (err) {
        // The workflow already ended (and with it, deleted the order): nothing is left to delete.
        if (!(err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError)) throw err;
      }
      res.status(204).end();
    },

    async getTaskStatus(req, res) {
      const params = req.params as Params;
      const record = await orderOf(deps.reader, res, params);
      taskOf(record, params);
      res.json(taskStatusView(record, params.taskId!, apiUrl));
    },

    async getTaskEvents(req, res) {
      const params = req.params as Params;
      const record = await orderOf(deps.reader, res, params);
      taskOf(record, params);
      const events = (await deps.reader.events(record.merchantId, record.orderId, params.taskId!)) ?? [];
      // v1 clients (the .NET SDK refuses an unknown type) get expiry and deletion as INTERNAL unless they ask.
      res.json(req.query.eventTypes === 'extended' ? events : events.map(v1Event));
    },

    /** TaskForwardDetails, oldest first: a forwarded task keeps its id, so `taskId` and `originalTaskId` agree. */
    async getTaskForwards(req, res) {
      const params = req.params as Params;
      const record = await orderOf(deps.reader, res, params);
      const task = taskOf(record, params);
      const taskId = params.taskId!;
      res.json(
        (task.forwards ?? []).map(({ at: _at, ...f }) => ({
          orderId: record.orderId,
          taskId,
          originalTaskId: taskId,
          ...f,
        })),
      );
    },

    async getTaskDocumentOriginal(req, res) {
      const params = req.params as Params;
      const task = taskOf(await orderOf(deps.reader, res, params), params);
      const document = task.documents.find((d) => d.documentId === params.documentId);
      if (!document) throw notFound('No document with this id in the task.');
      await sendStoredDocument(
        res,
        document,
        await deps.s3.getObject(document.bucket, document.objectKey),
        out('original'),
      );
    },

    /** The signed (sealed) document, or what the signer uploaded: there once the task is COMPLETED (409 before). */
    async getTaskDocumentResult(req, res) {
      const params = req.params as Params;
      const record = await orderOf(deps.reader, res, params);
      const task = taskOf(record, params);
      if (!taskSpec(record, params.taskId!)?.documents.some((d) => d.id === params.documentId))
        throw notFound('No document with this id in the task.');
      const result = own(task.results, params.documentId!);
      if (task.status !== 'COMPLETED' || !result) {
        throw new HttpProblem(409, 'Conflict', `No result: the task is ${task.status}, results come with COMPLETED.`);
      }
      const bucket = deps.config.s3.buckets.documents;
      await sendStoredDocument(res, result, await deps.s3.getObject(bucket, result.objectKey), out('result'));
    },

    /** PackagingTaskStatusInfo (facts §3.13), with `archiveId` when the package was archived. */
    async getPackagingTaskStatus(req, res) {
      const params = req.params as Params;
      const record = await orderOf(deps.reader, res, params);
      const packaging = packagingOf(record, params);
      const id = params.packagingTaskId!;
      res.json({
        orderId: record.orderId,
        packagingTaskId: params.packagingTaskId,
        packagingTaskStatus: packaging.status,
        ...(packaging.status === 'COMPLETED'
          ? { packagingTaskResultUri: apiUri(apiUrl, 'orders', record.orderId, 'packaging-tasks', id, 'result') }
          : {}),
        ...(packaging.archiveId ? { archiveId: packaging.archiveId } : {}),
      });
    },

    /** The package: 409 until the packaging task is COMPLETED. */
    async getPackagingTaskResult(req, res) {
      const params = req.params as Params;
      const packaging = packagingOf(await orderOf(deps.reader, res, params), params);
      if (packaging.status !== 'COMPLETED' || !packaging.result) {
        throw new HttpProblem(409, 'Conflict', `No result: the packaging task is ${packaging.status}.`);
      }
      const document = { ...packaging.result, contentType: 'application/pdf' };
      const bucket = deps.config.s3.buckets.documents;
      await sendStoredDocument(res, document, await deps.s3.getObject(bucket, document.objectKey), out('result'));
    },

    /**
     * The PDF the signer signs: the original PDF (with the order's form values filled in, when it has any), or a text
     * document as rendered for signing (once signed).
     */
    async getTaskDocumentGenerated(req, res) {
      const params = req.params as Params;
      const record = await orderOf(deps.reader, res, params);
      const task = taskOf(record, params);
      const document = task.documents.find((d) => d.documentId === params.documentId);
      if (!document) throw notFound('No document with this id in the task.');
      if (document.contentType === 'application/pdf') {
        const shown = shownDocument(document);
        await sendStoredDocument(res, shown, await deps.s3.getObject(shown.bucket, shown.objectKey), out('original'));
        return;
      }
      if (!own(task.results, document.documentId))
        throw notFound('A text document is rendered to PDF when it is signed.');
      const key = storageKeys.documentResult(
        record.merchantId,
        record.orderId,
        params.taskId!,
        document.documentId,
        'generated',
      );
      const stat = await deps.s3.statObject(document.bucket, key);
      const generated = { contentType: 'application/pdf', size: stat.size, sha256: stat.etag };
      await sendStoredDocument(res, generated, await deps.s3.getObject(document.bucket, key), out('result'));
    },
  };
}
