import type { DocumentStore } from '@esign/document-store';
import { ids } from '@esign/temporal-contracts';
import type { Request, Response } from 'express';
import { merchantOf } from '../auth/authenticate.js';
import type { OperationHandlers } from '../operations.js';
import { notFound } from '../problem.js';
import { sendStoredDocument } from './send-stored.js';
import { receiveUpload, type UploadDeps } from './upload.js';

const NOT_FOUND = 'No document with this id.';

/** A request whose body will not be read any further: drain what still arrives and close afterwards. */
function abandonBody(req: Request, res: Response): void {
  req.unpipe();
  req.resume();
  res.set('Connection', 'close');
}

/** Session Data Storage (contract §3): upload, download and delete documents. */
export function documentHandlers(deps: UploadDeps & { store: DocumentStore; basePath: string }): OperationHandlers {
  const { documentBytes } = deps;
  return {
    async uploadDocument(req, res) {
      try {
        const meta = await receiveUpload(req, merchantOf(res), deps);
        res.status(201).location(`${deps.basePath}/documents/${meta.documentId}`).json({ documentId: meta.documentId });
      } catch (err) {
        if (!req.complete) abandonBody(req, res);
        throw err;
      }
    },

    async getDocument(req, res) {
      const { documentId } = req.params as { documentId: string };
      const meta = ids.isSafe(documentId) ? await deps.store.getMeta(merchantOf(res), documentId) : null;
      if (!meta) throw notFound(NOT_FOUND);
      await sendStoredDocument(res, meta, await deps.store.openObject(meta), { documentBytes, kind: 'upload' });
    },

    async deleteDocument(req, res) {
      const { documentId } = req.params as { documentId: string };
      const outcome = ids.isSafe(documentId) ? await deps.store.deleteUpload(merchantOf(res), documentId) : 'missing';
      // Orders keep their own copies: deleting an upload never touches an order that used it.
      if (outcome === 'missing') throw notFound(NOT_FOUND);
      res.status(204).end();
    },
  };
}
