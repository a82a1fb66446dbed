import type { SealingActivities } from '@esign/temporal-contracts';
import { packageDocuments } from './packaging.js';
import { sealDocument, type SealingDeps } from './sealing.js';

/**
 * The sealing service's activities: a signer's document sealed (PAdES at the configured level), and a package of
 * several signers' documents. CPU-heavy and holding the platform's key, so apart from document storage; they read the
 * order and the documents and store the result objects, and the workflow records what they made.
 */
export function createSealingActivities(deps: SealingDeps): SealingActivities {
  return {
    sealDocument: (input) => sealDocument(deps, input),
    packageDocuments: (input) => packageDocuments(deps, input),
  };
}
