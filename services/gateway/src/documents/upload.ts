import type { Request } from 'express';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import type { Config } from '@esign/config';
import {
  checkPdfTrailer,
  type DocumentStore,
  UploadInspector,
  UploadRejection,
  type UploadMeta,
} from '@esign/document-store';
import { ids, storageKeys, TASK_QUEUES, WORKFLOW_TYPES } from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import type { Client } from '@temporalio/client';
import { badRequest, HttpProblem } from '../problem.js';
import { uploadContentType } from './content-type.js';

export interface UploadDeps {
  config: Config;
  store: DocumentStore;
  temporal: Client;
}

function rejectionProblem(reason: UploadRejection['reason'], maxBytes: number): HttpProblem {
  switch (reason) {
    case 'empty':
      return badRequest('The document is empty.');
    case 'too-large':
      return new HttpProblem(413, 'Content Too Large', `A document may be at most ${maxBytes} bytes.`);
    case 'not-pdf':
      return badRequest('The body is not a PDF document.', [{ propertyPath: 'body', message: 'not a valid PDF' }]);
    case 'not-utf8':
      return badRequest('The text is not valid UTF-8.', [{ propertyPath: 'body', message: 'not valid UTF-8' }]);
    case 'stalled':
      return new HttpProblem(408, 'Request Timeout', 'The upload stalled and was abandoned.');
  }
}

/**
 * Streams an upload to S3 through the inspector, then publishes its metadata. The expiry timer is started with the
 * transfer and confirmed before publishing, so an upload that a client can see always has its deletion scheduled.
 */
export async function receiveUpload(req: Request, merchantId: string, deps: UploadDeps): Promise<UploadMeta> {
  const { maxBytes, ttlSeconds, idleTimeoutMs } = deps.config.uploads;
  const contentType = uploadContentType(req.headers['content-type']);
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) throw rejectionProblem('too-large', maxBytes);
  if (declared === 0) throw rejectionProblem('empty', maxBytes);

  const documentId = newId();
  const objectKey = storageKeys.uploadObject(merchantId, documentId);
  const createdAt = new Date();
  // The timer starts alongside the transfer, and the upload is published only once it runs.
  const expiry = deps.temporal.workflow.start(WORKFLOW_TYPES.UPLOAD_EXPIRY, {
    taskQueue: TASK_QUEUES.ORCHESTRATOR,
    workflowId: ids.upload(documentId),
    args: [{ merchantId, documentId, objectKey, ttlSeconds }],
  });
  try {
    const inspector = new UploadInspector({ contentType, maxBytes, idleTimeoutMs });
    const body = new PassThrough();
    await Promise.all([
      expiry,
      pipeline(req, inspector, body),
      deps.store.putObject(objectKey, body, contentType, declared),
    ]);
    const inspected = inspector.result();
    if (
      contentType === 'application/pdf' &&
      !(await checkPdfTrailer(inspected.tail, inspected.size, (o, l) => deps.store.readRange(objectKey, o, l)))
    ) {
      throw new UploadRejection('not-pdf');
    }
    const meta: UploadMeta = {
      documentId,
      merchantId,
      contentType,
      size: inspected.size,
      sha256: inspected.sha256,
      createdAt: createdAt.toISOString(),
      expiresAt: new Date(createdAt.getTime() + ttlSeconds * 1000).toISOString(),
      bucket: deps.store.bucket,
      objectKey,
    };
    await deps.store.saveMeta(meta);
    return meta;
  } catch (err) {
    await deps.store.removeObject(objectKey).catch(() => undefined);
    await expiry.then((handle) => handle.signal('uploadDiscarded')).catch(() => undefined);
    if (err instanceof UploadRejection) throw rejectionProblem(err.reason, maxBytes);
    throw err;
  }
}
