import { pipeline } from 'node:stream/promises';
import type { DocumentStore } from '@esign/document-store';
import { ids } from '@esign/temporal-contracts';
import { Router, type Request, type Response } from 'express';
import { merchantOf } from '../auth/authenticate.js';
import { HttpProblem, notFound } from '../problem.js';
import { receiveUpload, type UploadDeps } from './upload.js';

const NOT_FOUND = 'No document with this id.';

/** A request whose body will not be read any further: drain what still arrives and close afterwards. */
function abandonBody(req: Request, res: Response): void {
  req.unpipe();
  req.resume();
  res.set('Connection', 'close');
}

/** Session Data Storage: `POST /documents`, `GET` and `DELETE /documents/{documentId}` (contract §3). */
export function documentRoutes(deps: UploadDeps & { store: DocumentStore; basePath: string }): Router {
  const router = Router();

  router.post('/documents', async (req, res) => {
    try {
      const meta = await receiveUpload(req, merchantOf(res), deps);
      res.status(201).location(`${deps.basePath}/documents/${meta.documentId}`).json({ documentId: meta.documentId });
    } catch (err) {
      if (!req.complete) abandonBody(req, res);
      throw err;
    }
  });

  router.get('/documents/:documentId', async (req, res) => {
    const { documentId } = req.params as { documentId: string };
    const meta = ids.isSafe(documentId) ? await deps.store.getMeta(merchantOf(res), documentId) : null;
    if (!meta) throw notFound(NOT_FOUND);
    const body = await deps.store.openObject(meta);
    res.status(200).set({
      'Content-Type': meta.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : meta.contentType,
      'Content-Length': String(meta.size),
      ETag: `"${meta.sha256}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    await pipeline(body, res);
  });

  router.delete('/documents/:documentId', async (req, res) => {
    const { documentId } = req.params as { documentId: string };
    const outcome = ids.isSafe(documentId) ? await deps.store.deleteUpload(merchantOf(res), documentId) : 'missing';
    if (outcome === 'missing') throw notFound(NOT_FOUND);
    if (outcome === 'referenced') {
      throw new HttpProblem(409, 'Conflict', 'The document belongs to a signing order; delete the order instead.');
    }
    res.status(204).end();
  });

  return router;
}
