import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  ERROR_TYPES,
  TASK_QUEUES,
  type LegacyOrderActivities,
  type OrderActivities,
  type SealingActivities,
} from '@esign/temporal-contracts';
import { condition, proxyActivities } from '@temporalio/workflow';

/**
 * The read model and the documents must follow the workflow however long Redis or S3 are down: retry forever, backing
 * off to a minute. Every order activity is idempotent, so a retry is always safe. An attempt whose worker froze or
 * died is retried once its heartbeats stop, not after the start-to-close minute.
 */
const ORDER_ACTIVITY_OPTIONS = {
  taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.quick,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
export const orderActivities = proxyActivities<OrderActivities>(ORDER_ACTIVITY_OPTIONS);
/** Orders from before the gateway claimed uploads (see `LegacyOrderActivities`): for their replay only. */
export const legacyActivities = proxyActivities<LegacyOrderActivities>(ORDER_ACTIVITY_OPTIONS);

/**
 * Sealing runs while a signer waits for the answer of their SIGNED action: a few attempts, and none for a document
 * that is gone or cannot be sealed (the portal then shows the failure).
 */
export const sealingActivities = proxyActivities<Pick<SealingActivities, 'sealDocument'>>({
  taskQueue: TASK_QUEUES.SEALING,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT.cpu,
  retry: {
    initialInterval: '1 second',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [ERROR_TYPES.NOT_FOUND, ERROR_TYPES.VALIDATION],
  },
});

/**
 * Waits until `fn` holds (true) or workflow time reaches `iso` (false): a durable timer. A time already past answers
 * at once, with no timer (`condition(fn, 0)` would also write a patch marker into the history).
 */
export async function conditionUntil(fn: () => boolean, iso: string): Promise<boolean> {
  const ms = Date.parse(iso) - Date.now();
  return ms > 0 ? condition(fn, ms) : fn();
}
