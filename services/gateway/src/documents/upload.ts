import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { Config } from '@esign/config';
import type { Readable } from 'node:stream';
import {
  type DocumentStore,
  receiveInspected,
  type UploadContentType,
  UploadRejection,
  type UploadMeta,
} from '@esign/document-store';
import { isDependencyUnavailable, type DocumentBytes } from '@esign/service-runtime';
import { storageKeys } from '@esign/storage-keys';
import { newId } from '@esign/temporal-contracts/random';
import { badRequest, HttpProblem } from '../problem.js';
import { checkUploadEncoding, uploadContentType } from './content-type.js';
import type { ExpiryTimers } from './expiry-timers.js';
import { HeadSniffer, sniffedType } from './sniff.js';

export interface UploadDeps {
  config: Config;
  store: DocumentStore;
  expiryTimers: ExpiryTimers;
  /** Counts the bytes of stored uploads (`in`, `upload`). */
  documentBytes?: DocumentBytes;
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

const NEITHER_PDF_NOR_TEXT = new HttpProblem(
  415,
  'Unsupported Media Type',
  'An application/octet-stream upload must be a PDF or UTF-8 text; send its own Content-Type otherwise.',
);

/** The body and its type: as declared, or for application/octet-stream as its first bytes say. */
async function typedBody(
  req: Request,
  uploads: Config['uploads'],
): Promise<{ body: Readable; contentType: UploadContentType; sniffed: boolean }> {
  const declared = uploadContentType(req.headers['content-type']);
  if (declared !== 'sniff') return { body: req, contentType: declared, sniffed: false };
  const sniffer = new HeadSniffer(uploads.idleTimeoutMs);
  // A failure of the request fails the sniffer, and with it the transfer that reads from it.
  pipeline(req, sniffer).catch(() => undefined);
  const head = await sniffer.head.catch((err: unknown) => {
    throw err instanceof UploadRejection ? rejectionProblem(err.reason, uploads.maxBytes) : err;
  });
  return { body: sniffer, contentType: sniffedType(head), sniffed: true };
}

/**
 * Streams an upload to S3 through the inspector, then publishes its metadata. The upload is listed under the expiry
 * timer of its second before its bytes are stored, and that timer runs before the upload is published, so an upload
 * a client can see always has its deletion scheduled.
 */
export async function receiveUpload(req: Request, merchantId: string, deps: UploadDeps): Promise<UploadMeta> {
  const { maxBytes, ttlSeconds, idleTimeoutMs } = deps.config.uploads;
  uploadContentType(req.headers['content-type']);
  checkUploadEncoding(req.headers['content-encoding']);
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) throw rejectionProblem('too-large', maxBytes);
  if (declared === 0) throw rejectionProblem('empty', maxBytes);

  const { body, contentType, sniffed } = await typedBody(req, deps.config.uploads);
  const documentId = newId();
  const objectKey = storageKeys.uploadObject(merchantId, documentId);
  const createdAt = new Date();
  const second = Math.floor(createdAt.getTime() / 1000);
  const expiring = { merchantId, documentId, objectKey };
  // Listed under its second's timer before any byte is stored; the timer (started alongside the transfer, once per
  // second) must be running before the upload is published.
  await deps.store.scheduleExpiry(ttlSeconds, second, expiring);
  const expiry = deps.expiryTimers.ensure(ttlSeconds, second);
  try {
    const inspected = await receiveInspected(deps.store, body, {
      objectKey,
      contentType,
      maxBytes,
      idleTimeoutMs,
      declared,
      alongside: expiry,
    });
    const meta: UploadMeta = {
      documentId,
      merchantId,
      contentType,
      size: inspected.size,
      sha256: inspected.sha256,
      createdAt: createdAt.toISOString(),
      expiresAt: new Date((second + 1 + ttlSeconds) * 1000).toISOString(),
      bucket: deps.store.bucket,
      objectKey,
    };
    await deps.store.saveMeta(meta);
    deps.documentBytes?.('in', 'upload', inspected.size);
    return meta;
  } catch (err) {
    const timerRunning = await expiry.then(
      () => true,
      () => false,
    );
    // S3 hung mid-transfer: the object may still land after this answer. It stays listed under its second's running
    // timer, which deletes it (no metadata: never listed, never served).
    if (timerRunning && isDependencyUnavailable(err) && err.dependency === 'S3 storage') throw err;
    await deps.store.removeObject(objectKey).catch(() => undefined);
    await deps.store.unscheduleExpiry(ttlSeconds, second, expiring).catch(() => undefined);
    if (err instanceof UploadRejection && sniffed && err.reason === 'not-utf8') throw NEITHER_PDF_NOR_TEXT;
    if (err instanceof UploadRejection) throw rejectionProblem(err.reason, maxBytes);
    throw err;
  }
}
