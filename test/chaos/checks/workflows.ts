import { SEARCH_ATTRIBUTES } from '@esign/temporal-contracts';
import type { VerifyContext } from './context.js';

/** One signingOrder workflow per Idempotency-Key (each order has its own clientReference), however often retried. */
export async function checkOneOrderPerKey(ctx: VerifyContext, problems: string[]): Promise<number> {
  const byReference = new Map<string, string[]>();
  for await (const wf of ctx.temporal.workflow.list({ query: `WorkflowType = 'signingOrder'` })) {
    const ref = wf.searchAttributes?.[SEARCH_ATTRIBUTES.CLIENT_REFERENCE]?.[0];
    const key = typeof ref === 'string' ? ref : `(no client reference) ${wf.workflowId}`;
    byReference.set(key, [...(byReference.get(key) ?? []), wf.workflowId]);
  }
  const known = new Set(ctx.runs.map((r) => r.clientReference));
  let duplicates = 0;
  for (const [ref, workflows] of byReference) {
    if (!known.has(ref)) problems.push(`signing order workflow(s) ${workflows.join(', ')} belong to no client's order`);
    else if (workflows.length > 1) {
      duplicates += workflows.length - 1;
      problems.push(`${ref}: ${workflows.length} order workflows for one Idempotency-Key: ${workflows.join(', ')}`);
    }
  }
  for (const run of ctx.runs) {
    if (run.orderId && !byReference.has(run.clientReference)) {
      problems.push(`order #${run.index} (${run.orderId}) has no signing order workflow`);
    }
  }
  return duplicates;
}
