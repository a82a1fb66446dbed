import { ACTIVITY_HEARTBEAT_EVERY_MS } from '@esign/temporal-contracts';
import { Context } from '@temporalio/activity';

/**
 * Runs `work` while telling Temporal every `everyMs` that the attempt is alive, so an attempt whose worker froze or
 * died is noticed at the activity's heartbeat timeout instead of its start-to-close timeout. Outside an activity (a
 * unit test calling the function directly) it only runs `work`.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>, everyMs = ACTIVITY_HEARTBEAT_EVERY_MS): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The same activities, each heartbeating while it runs (what `runWorkerService` registers). */
export function heartbeating<T extends object>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      typeof fn === 'function'
        ? (...args: unknown[]) =>
            whileHeartbeating(() => Promise.resolve((fn as (...a: unknown[]) => unknown).apply(activities, args)))
        : fn,
    ]),
  ) as T;
}
