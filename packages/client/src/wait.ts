import { WaitTimeoutError } from './errors.js';
import { sleep } from './transport.js';

export interface WaitOptions {
  /** Give up after this long (default 10 minutes): a WaitTimeoutError carrying the last status read. */
  timeoutMs?: number;
  /** First pause between reads (default 500 ms), growing by `factor` (default 1.5) up to `maxIntervalMs` (10 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  factor?: number;
  signal?: AbortSignal;
}

/**
 * Reads `read()` until `done(value)`, pausing between reads with exponential backoff. Status reads are cheap for the
 * server (a read model), but a merchant polling thousands of orders should still back off; a URL notification
 * (see verifyCallback) tells sooner.
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let interval = options.initialIntervalMs ?? 500;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(`timed out waiting for ${what}`, last);
    await sleep(Math.min(interval, left), options.signal);
    interval = Math.min(interval * (options.factor ?? 1.5), options.maxIntervalMs ?? 10_000);
  }
}
