/**
 * How long the event loop was held lately. A tick every `tickMs` that comes late by more than a tick means the loop
 * was blocked that long; the longest block within the last `windowMs` is kept. A loop that is blocked now cannot
 * answer its liveness probe at all (the probe times out); one blocked again and again for long stretches may answer
 * the odd probe in between, so `/healthz` also fails for a while after a long block (see `healthHandler`).
 */
export class EventLoopWatch {
  private last: number;
  private blocks: Array<{ at: number; ms: number }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: { windowMs: number; tickMs?: number }) {
    this.last = Date.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  private get tickMs(): number {
    return this.opts.tickMs ?? 500;
  }

  private tick(): void {
    const now = Date.now();
    const late = now - this.last - this.tickMs;
    this.last = now;
    if (late > this.tickMs) this.blocks.push({ at: now, ms: late });
    this.blocks = this.blocks.filter((b) => now - b.at <= this.opts.windowMs);
  }

  /** The longest block within the window, in ms, counting one that ended just now and whose tick is still due. */
  longestBlockMs(): number {
    const now = Date.now();
    const pending = Math.max(0, now - this.last - this.tickMs);
    return this.blocks.filter((b) => now - b.at <= this.opts.windowMs).reduce((max, b) => Math.max(max, b.ms), pending);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** How long `/healthz` keeps failing after a block longer than the limit: longer than the probes' 3 × 10 s. */
export const BLOCK_WINDOW_MS = 60_000;

let shared: EventLoopWatch | undefined;

/** The process's one watch (every health server of the process reads it). */
export function eventLoopWatch(): EventLoopWatch {
  shared ??= new EventLoopWatch({ windowMs: BLOCK_WINDOW_MS });
  return shared;
}
