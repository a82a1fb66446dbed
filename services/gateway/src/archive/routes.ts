import type { ArchiveStore } from '@esign/archive-store';
import type { DocumentBytes } from '@esign/service-runtime';
import { merchantOf } from '../auth/authenticate.js';
import { sendStoredDocument } from '../documents/send-stored.js';
import type { OperationHandlers } from '../operations.js';
import { notFound } from '../problem.js';

// One answer for an unknown id and another merchant's: nothing tells them apart (contract §1).
const NOT_FOUND = 'No archived document with this id.';

/** The archive (contract §8): download and delete a merchant's archived documents. */
export function archiveHandlers(deps: { archive: ArchiveStore; documentBytes?: DocumentBytes }): OperationHandlers {
  return {
    async getArchiveDocument(req, res) {
      const { archiveId } = req.params as { archiveId: string };
      const archived = await deps.archive.get(merchantOf(res), archiveId);
      if (!archived) throw notFound(NOT_FOUND);
      await sendStoredDocument(res, archived.record, archived.body, {
        documentBytes: deps.documentBytes,
        kind: 'archive',
      });
    },

    async deleteArchiveDocument(req, res) {
      const { archiveId } = req.params as { archiveId: string };
      if (!(await deps.archive.delete(merchantOf(res), archiveId))) throw notFound(NOT_FOUND);
      res.status(204).end();
    },
  };
}
