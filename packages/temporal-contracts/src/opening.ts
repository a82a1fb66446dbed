// One rule for the portal and the task workflow (issue 20, item 7): a document counts as viewed once its signer
// opened it, and signing waits until every document the task shows was opened. Plain data only.
import type { DocumentAction } from './orders.js';
import { own } from './own.js';

/**
 * The documents a signer must open before signing: every document the task shows them (to sign or to view). An
 * UPLOAD document holds nothing to open until the signer uploads it.
 */
export function documentsToOpen(actions: Record<string, DocumentAction>): string[] {
  return Object.keys(actions).filter((id) => own(actions, id) !== 'UPLOAD');
}

/** The documents of `actions` still to be opened before signing, given those opened (in the task's order). */
export function unopenedDocuments(actions: Record<string, DocumentAction>, opened: Iterable<string>): string[] {
  const seen = new Set(opened);
  return documentsToOpen(actions).filter((id) => !seen.has(id));
}
