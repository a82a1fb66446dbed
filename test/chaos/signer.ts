// The signer's side of the chaos load: signer actions sent as the portal sends them, repeated as a signer would.
import { ERROR_TYPES, type SignerAction, type SignerActionResult, type TaskStatus } from '@esign/temporal-contracts';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { signerAction } from '../support/tasks.js';
import { TASK_ID, type LoadContext, type OrderRun } from './order-run.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An action the task refused as invalid, or for a document it does not know: repeating cannot help. */
const refusedForGood = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError &&
  err.cause instanceof ApplicationFailure &&
  (err.cause.type === ERROR_TYPES.VALIDATION || err.cause.type === ERROR_TYPES.NOT_FOUND);

const errorName = (err: unknown) => (err instanceof Error ? err.name : 'error');

/** The innermost message of a failure chain. */
function causeOf(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

const isConflict = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError &&
  err.cause instanceof ApplicationFailure &&
  err.cause.type === ERROR_TYPES.CONFLICT;

/** The task's status as the merchant reads it. */
async function taskStatus(ctx: LoadContext, run: OrderRun): Promise<string> {
  const res = await ctx.api.call('GET', `/orders/${run.orderId}/tasks/${TASK_ID}/status`);
  if (res.status !== 200) return `unreadable (HTTP ${res.status})`;
  return (JSON.parse(res.body.toString()) as { taskStatus: string }).taskStatus;
}

/**
 * A signer action as the portal sends it, repeated while it fails for a reason that says nothing about the action
 * (Temporal restarting, the worker down, the task workflow not started yet). A repeat that finds the task already
 * where the action leads (its first attempt went through, the answer was lost: refused as a conflict, or the task
 * workflow already closed) counts as done.
 */
export async function act(ctx: LoadContext, run: OrderRun, action: SignerAction, leadsTo: TaskStatus): Promise<void> {
  const deadline = Date.now() + ctx.patienceMs;
  for (let attempt = 0; ; attempt++) {
    let result: SignerActionResult;
    try {
      result = await signerAction(ctx.temporal, run.orderId!, TASK_ID, action);
    } catch (err) {
      if (isConflict(err)) {
        const status = await taskStatus(ctx, run);
        if (status === leadsTo) return;
        throw new Error(`${action.type}: refused as a conflict while the task is ${status}`, { cause: err });
      }
      // A task workflow ends with its task: a repeat after a lost answer finds it closed ("already completed").
      if (err instanceof WorkflowNotFoundError && (await taskStatus(ctx, run)) === leadsTo) return;
      if (Date.now() > deadline || refusedForGood(err)) throw err;
      // The workflow answered with a failure (sealing gave up while S3 was down, say): the portal shows it, and the
      // signer tries again.
      if (err instanceof WorkflowUpdateFailedError) run.actionsFailed.push(`${action.type}: ${causeOf(err)}`);
      run.actionRetries++;
      ctx.hit(
        `signer ${action.type}`,
        err instanceof WorkflowUpdateFailedError ? 'failed by the workflow' : errorName(err),
      );
      await sleep(Math.min(2000, 200 * 2 ** Math.min(attempt, 4)));
      continue;
    }
    if (result.taskStatus !== leadsTo) throw new Error(`${action.type} answered ${result.taskStatus}`);
    return;
  }
}
