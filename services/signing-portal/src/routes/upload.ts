import {
  receiveInspected,
  UPLOAD_CONTENT_TYPES,
  UploadRejection,
  type UploadRejectionReason,
} from '@esign/document-store';
import { storageKeys } from '@esign/storage-keys';
import { Router } from 'express';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import type { Portal } from '../portal.js';

/** What a signer's upload is told when its bytes are refused. */
const UPLOAD_REFUSALS: Record<UploadRejectionReason, [number, string]> = {
  empty: [400, 'the file is empty'],
  'too-large': [413, 'the file is too large'],
  'not-pdf': [415, 'a PDF or UTF-8 text file is expected'],
  'not-utf8': [415, 'a PDF or UTF-8 text file is expected'],
  stalled: [408, 'the upload stalled'],
};

/**
 * A signer's upload: session, CSRF token, identification and the declared size are checked before a byte of the
 * body is read; the bytes then stream through the upload inspector into S3, never whole in memory, and the task
 * workflow records the file as the document's result (the read model has one writer).
 */
export function uploadRoutes(portal: Portal): Router {
  const router = Router();
  router.post(
    '/std/upload/:documentId',
    withSession(portal),
    openTask(portal, { identified: 'request' }),
    async (req, res, next) => {
      try {
        const session = sessionOf(res);
        const documentId = String(req.params.documentId);
        const spec = taskOf(res).spec.documents.find((d) => d.id === documentId && d.action === 'UPLOAD');
        if (!spec) return void res.status(404).json({ error: 'no such upload document' });
        const type = (req.header('content-type') ?? '').split(';')[0]!.trim();
        const contentType = UPLOAD_CONTENT_TYPES.find((t) => t === type);
        if (!contentType) return void res.status(415).json({ error: 'a PDF or UTF-8 text file is expected' });
        const length = req.header('content-length');
        const declared = length === undefined ? undefined : Number(length);
        const { maxBytes, idleTimeoutMs } = portal.config.uploads;
        if (declared !== undefined && declared > maxBytes) {
          return void res.status(413).json({ error: 'the file is too large' });
        }
        const objectKey = storageKeys.signerUpload(session.merchantId, session.orderId, session.taskId, documentId);
        let inspected;
        try {
          const o = { objectKey, contentType, maxBytes, idleTimeoutMs, declared };
          inspected = await receiveInspected(portal.store, req, o);
        } catch (err) {
          if (!(err instanceof UploadRejection)) throw err;
          const [status, error] = UPLOAD_REFUSALS[err.reason];
          return void res.status(status).json({ error });
        }
        portal.documentBytes('in', 'result', inspected.size);
        const result = { objectKey, contentType, sha256: inspected.sha256, size: inspected.size };
        const { taskStatus } = await portal.act(session, { type: 'UPLOADED', documentId, result });
        res.json({ ok: true, taskStatus });
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}
