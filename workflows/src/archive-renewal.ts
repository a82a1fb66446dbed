import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  ARCHIVE_RENEWAL_MESSAGES,
  ERROR_TYPES,
  TASK_QUEUES,
  type ArchiveActivities,
  type ArchiveRenewalInput,
  type ArchiveRenewalState,
} from '@esign/temporal-contracts';
import { continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import { conditionUntil } from './order/activities.js';

/**
 * The archive and the TSA may be down for a while: renewal has its margin (days to months) to wait them out, so it
 * retries, backing off to an hour. A revoked TSA certificate, or no TSA configured, is for an operator.
 */
const archive = proxyActivities<Pick<ArchiveActivities, 'planArchiveRenewal' | 'renewArchiveTimestamp'>>({
  taskQueue: TASK_QUEUES.ARCHIVE,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.cpu,
  retry: {
    initialInterval: '10 seconds',
    maximumInterval: '1 hour',
    nonRetryableErrorTypes: [ERROR_TYPES.VALIDATION, ERROR_TYPES.SEAL_CERTIFICATE_REVOKED],
  },
});

/** The operator command: renew now instead of at the planned time. */
export const renewArchiveNow = defineSignal(ARCHIVE_RENEWAL_MESSAGES.RENEW_NOW);
export const archiveRenewalState = defineQuery<ArchiveRenewalState>(ARCHIVE_RENEWAL_MESSAGES.STATE);

const DAY_MS = 86_400_000;

/**
 * One per archived document (`ids.archiveRenewal(archiveId)`, started when it is archived): waits on a durable
 * timer until `marginDays` before its newest timestamp's certificate expires, then has the archive add validation
 * data and a new document timestamp (a new version of the archived object), and goes on in a fresh history with the
 * new expiry. Ends when the document is deleted from the archive (GONE) or has no timestamp (NOT_RENEWABLE).
 */
export async function archiveRenewal(input: ArchiveRenewalInput & { renewals?: number }): Promise<string> {
  const ref = { merchantId: input.merchantId, archiveId: input.archiveId };
  const state: ArchiveRenewalState = { renewals: input.renewals ?? 0 };
  let requested = false;
  setHandler(renewArchiveNow, () => {
    requested = true;
  });
  setHandler(archiveRenewalState, () => state);

  const plan = await archive.planArchiveRenewal(ref);
  if (plan.status !== 'ARCHIVED') return plan.status;
  state.timestampExpiresAt = plan.timestampExpiresAt;
  // After a renewal, not again within half a margin: a TSA whose certificate does not outlive the last one's would
  // otherwise be asked again at once.
  const earliest = state.renewals > 0 ? Date.now() + (input.marginDays * DAY_MS) / 2 : 0;
  const due = Math.max(Date.parse(plan.timestampExpiresAt) - input.marginDays * DAY_MS, earliest);
  state.renewAt = new Date(due).toISOString();
  await conditionUntil(() => requested, state.renewAt);

  const renewed = await archive.renewArchiveTimestamp(ref);
  if (renewed.status !== 'ARCHIVED') return renewed.status;
  return continueAsNew<typeof archiveRenewal>({ ...input, renewals: state.renewals + 1 });
}
