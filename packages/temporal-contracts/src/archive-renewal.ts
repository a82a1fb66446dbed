// Archive renewal (docs/signing.md): one workflow per archived document keeps its newest timestamp from expiring.
// Plain data only.

export interface ArchiveRenewalInput {
  merchantId: string;
  archiveId: string;
  /** Renew this many days before the newest timestamp's certificate expires (config ARCHIVE_RENEWAL_MARGIN_DAYS). */
  marginDays: number;
}

export interface ArchivedDocumentRef {
  merchantId: string;
  archiveId: string;
}

/**
 * An archived document's renewal state. `ARCHIVED`: renewable, its newest timestamp's certificate expires at
 * `timestampExpiresAt`; `GONE`: deleted from the archive; `NOT_RENEWABLE`: it carries no timestamp (PAdES B-B).
 */
export type ArchiveRenewalStatus =
  { status: 'ARCHIVED'; timestampExpiresAt: string } | { status: 'GONE' } | { status: 'NOT_RENEWABLE' };

/** What the workflow answers to the `archiveRenewalState` query: when it renews next, or why it stopped. */
export interface ArchiveRenewalState {
  timestampExpiresAt?: string;
  renewAt?: string;
  renewals: number;
}

export const ARCHIVE_RENEWAL_MESSAGES = {
  /** Signal: renew now instead of at the planned time (the operator command). */
  RENEW_NOW: 'renewArchiveNow',
  /** Query: the renewal state (ArchiveRenewalState). */
  STATE: 'archiveRenewalState',
} as const;
