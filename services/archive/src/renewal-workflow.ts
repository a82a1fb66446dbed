// Starting an archived document's renewal workflow: from the archive activity (at archiving) and from the operator
// command (renew-now.ts), with the same id, queue and search attribute.
import {
  ARCHIVE_RENEWAL_MESSAGES,
  ids,
  SEARCH_ATTRIBUTE_KEYS,
  TASK_QUEUES,
  WORKFLOW_TYPES,
  type ArchivedDocumentRef,
} from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';

function options(ref: ArchivedDocumentRef, marginDays: number) {
  return {
    workflowId: ids.archiveRenewal(ref.archiveId),
    taskQueue: TASK_QUEUES.ORCHESTRATOR,
    args: [{ ...ref, marginDays }] as [unknown],
    // Operators find a merchant's renewals in the Temporal UI by SignMerchantId.
    typedSearchAttributes: [{ key: SEARCH_ATTRIBUTE_KEYS.MERCHANT_ID, value: ref.merchantId }],
  };
}

/** Starts the renewal workflow, or leaves the running one be (archiving is retried: each try calls this). */
export async function startRenewal(client: Client, ref: ArchivedDocumentRef, marginDays: number): Promise<void> {
  await client.workflow.start(WORKFLOW_TYPES.ARCHIVE_RENEWAL, {
    ...options(ref, marginDays),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** Renews now: signals the running workflow, starting it first when there is none (documents archived before). */
export async function renewNow(client: Client, ref: ArchivedDocumentRef, marginDays: number): Promise<string> {
  const handle = await client.workflow.signalWithStart(WORKFLOW_TYPES.ARCHIVE_RENEWAL, {
    ...options(ref, marginDays),
    signal: ARCHIVE_RENEWAL_MESSAGES.RENEW_NOW,
    signalArgs: [],
  });
  return handle.workflowId;
}
