// Archive renewal's activities: the archived document's newest timestamp expiry, and a new document timestamp over
// it (a new immutable version). The renewal workflow (workflows/src/archive-renewal.ts) decides when.
import type { Readable } from 'node:stream';
import type { ArchiveStore } from '@esign/archive-store';
import {
  renewArchivalTimestamp,
  timestampExpiry,
  typedSealFailures,
  type OnDependencyFailure,
} from '@esign/pdf-signing';
import {
  ERROR_TYPES,
  type ArchiveActivities,
  type ArchivedDocumentRef,
  type ArchiveRenewalStatus,
} from '@esign/temporal-contracts';
import { ApplicationFailure } from '@temporalio/activity';

export interface RenewalSettings {
  /** The RFC 3161 TSA of new document timestamps (config SIGNING_TSA_URL). */
  tsaUrl: string;
  /** Days before expiry to renew (config ARCHIVE_RENEWAL_MARGIN_DAYS), handed to each renewal workflow. */
  marginDays: number;
  /** Starts the renewal workflow of a freshly archived document (or finds it running). */
  start(ref: ArchivedDocumentRef): Promise<void>;
  onDependencyFailure?: OnDependencyFailure;
}

async function bytesOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const statusOf = (expiry: Date | null): ArchiveRenewalStatus =>
  expiry ? { status: 'ARCHIVED', timestampExpiresAt: expiry.toISOString() } : { status: 'NOT_RENEWABLE' };

export function createRenewalActivities(
  store: ArchiveStore,
  renewal: RenewalSettings | undefined,
): Pick<ArchiveActivities, 'planArchiveRenewal' | 'renewArchiveTimestamp'> {
  return {
    async planArchiveRenewal({ merchantId, archiveId }) {
      const archived = await store.get(merchantId, archiveId);
      if (!archived) return { status: 'GONE' };
      return statusOf(await timestampExpiry(await bytesOf(archived.body)));
    },

    async renewArchiveTimestamp({ merchantId, archiveId }) {
      if (!renewal) {
        throw ApplicationFailure.create({
          type: ERROR_TYPES.VALIDATION,
          message: 'archive renewal needs a time-stamping authority (SIGNING_TSA_URL)',
          nonRetryable: true,
        });
      }
      let renewed: Buffer | undefined;
      const record = await store.renew(merchantId, archiveId, async (pdf) => {
        const next = await typedSealFailures(
          () => renewArchivalTimestamp({ pdf, tsaUrl: renewal.tsaUrl }),
          renewal.onDependencyFailure,
        );
        renewed = next;
        return next;
      });
      if (!record || !renewed) return { status: 'GONE' };
      return statusOf(await timestampExpiry(renewed));
    },
  };
}
