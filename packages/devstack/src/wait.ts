/** Polls until `probe` resolves truthy; rejects naming `what` after the timeout, or early if the process died. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; aborted?: () => string | undefined } = {},
): Promise<void> {
  const { timeoutMs = 60_000, intervalMs = 100 } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const died = opts.aborted?.();
    if (died) throw new Error(`${what}: ${died}`);
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`);
}

/** True when GET url answers with the given status (any status when `status` is undefined). */
export async function httpAnswers(url: string, status?: number): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return status === undefined || res.status === status;
}
