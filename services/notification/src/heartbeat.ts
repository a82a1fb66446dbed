import { URL_ATTEMPT_HEARTBEAT_EVERY_MS } from '@esign/temporal-contracts';
import { Context } from '@temporalio/activity';

/**
 * Runs `work` while telling Temporal every `URL_ATTEMPT_HEARTBEAT_EVERY_MS` that this attempt is alive, so a worker
 * that dies mid-attempt is noticed at the activity's heartbeat timeout instead of its start-to-close timeout. Outside
 * an activity (a unit test calling the function directly) it only runs `work`.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), URL_ATTEMPT_HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
