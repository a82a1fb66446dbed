/**
 * Polls until `probe` resolves truthy; rejects naming `what` after the timeout, or early if the process died. Each
 * attempt is given up after `attemptMs` (a server that accepts a connection and never answers — SeaweedFS while its
 * filer starts — must not hold the wait past its timeout).
 */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; attemptMs?: number; aborted?: () => string | undefined } = {},
): Promise<void> {
  const { timeoutMs = 60_000, intervalMs = 100, attemptMs = 5_000 } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const died = opts.aborted?.();
    if (died) throw new Error(`${what}: ${died}`);
    try {
      if (await withinMs(probe(), Math.min(attemptMs, Math.max(1, deadline - Date.now())))) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`);
}

/** `work`'s answer, or a rejection once `ms` have passed without one. */
async function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when GET url answers with the given status (any status when `status` is undefined). */
export async function httpAnswers(url: string, status?: number): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return status === undefined || res.status === status;
}
