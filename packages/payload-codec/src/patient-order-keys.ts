import type { OrderKeyStore } from './order-keys.js';

export interface KeyWait {
  /** How long a lookup keeps trying while the store is unavailable before its error is thrown. */
  maxMs: number;
  /** Whether an error means the store is not answering (try again), as opposed to an answer. */
  transient: (err: unknown) => boolean;
  /** First pause between tries (doubling up to 2 s); default 100 ms. */
  firstDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A worker's key lookups wait out a short outage of the store (a Redis restart) instead of failing at once. The
 * Temporal worker encodes an activity's result or a workflow task's completion through the codec, and an error
 * there is not the activity's: the SDK fails the whole worker (the process exits). So while Redis is down, a
 * completion waits for it, up to `maxMs`; the attempt may time out meanwhile and be retried, which is what happens
 * to any attempt whose worker cannot finish it. Destruction is not retried here (its activity retries).
 */
export class PatientOrderKeys implements OrderKeyStore {
  constructor(
    private readonly store: OrderKeyStore,
    private readonly wait: KeyWait,
  ) {}

  forEncrypt(orderId: string): Promise<Buffer | null> {
    return this.patiently(() => this.store.forEncrypt(orderId));
  }

  forDecrypt(orderId: string, opts?: { strict?: boolean }): Promise<Buffer | null> {
    return this.patiently(() => this.store.forDecrypt(orderId, opts));
  }

  destroy(orderId: string, delaySeconds: number): Promise<void> {
    return this.store.destroy(orderId, delaySeconds);
  }

  private async patiently<T>(lookup: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.wait.maxMs;
    for (let delay = this.wait.firstDelayMs ?? 100; ; delay = Math.min(2000, delay * 2)) {
      try {
        return await lookup();
      } catch (err) {
        if (!this.wait.transient(err) || Date.now() + delay > deadline) throw err;
        await sleep(delay);
      }
    }
  }
}
