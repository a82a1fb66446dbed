import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
} from 'cockatiel';

/** The dependencies a request path waits for, by the name answers and logs give them. */
export type DependencyName = 'S3 storage' | 'Redis' | 'Temporal' | 'SMTP' | 'Twilio' | 'identity provider';

export type UnavailableReason = 'deadline' | 'unreachable' | 'circuit-open';

/**
 * A dependency did not answer within its deadline, could not be reached, or is known to be down (its breaker is
 * open). Callers answer 503 with `Retry-After: retryAfterSeconds` and the dependency's name; the message names no
 * address, key or secret.
 */
export class DependencyUnavailable extends Error {
  override readonly name = 'DependencyUnavailable';
  constructor(
    readonly dependency: DependencyName,
    readonly reason: UnavailableReason,
    readonly retryAfterSeconds: number,
  ) {
    super(
      reason === 'circuit-open'
        ? `${dependency} is unavailable`
        : reason === 'deadline'
          ? `${dependency} did not answer in time`
          : `${dependency} could not be reached`,
    );
  }
}

/** Structural check: the class may come from another copy of this package in a bundle. */
export function isDependencyUnavailable(err: unknown): err is DependencyUnavailable {
  return (err as { name?: unknown } | null)?.name === 'DependencyUnavailable';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/** An error that says the dependency is not answering, as opposed to an answer (not found, refused, conflict). */
export function isOutage(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string } | null;
  if (!e) return false;
  if (e instanceof TaskCancelledError || isDependencyUnavailable(e)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  return e.message === 'Connection is closed.' || (e.message?.startsWith('Command timed out') ?? false);
}

export interface GuardOptions {
  /** Longest wait for one call (ms); calls run with `deadline: false` only count towards the breaker. */
  deadlineMs: number;
  /** Consecutive outages that open the breaker. */
  failures: number;
  /** How long an open breaker refuses at once before it lets one probe call through (ms). */
  halfOpenMs: number;
  /**
   * The client queues calls behind one in flight (ioredis sends a command only after the pipeline before it has
   * settled), so a call's own deadline may start late: calls under way when the breaker opens then fail with it.
   * Not for clients whose calls each have their own connection or stream (S3, Temporal): a healthy upload would fail
   * for another call's missed deadline.
   */
  queues?: boolean;
}

export interface DependencyGuard {
  readonly dependency: DependencyName;
  /** Runs one call under the deadline and the breaker; an outage is rethrown as `DependencyUnavailable`. */
  run<T>(fn: (signal: AbortSignal) => Promise<T>, opts?: { deadline?: boolean }): Promise<T>;
  /** closed: calls go through; open: refused at once; half-open: one probe call decides. */
  state(): 'closed' | 'open' | 'half-open';
  /** Seconds a refused caller is told to wait. */
  readonly retryAfterSeconds: number;
}

const STATE_NAMES: Record<CircuitState, ReturnType<DependencyGuard['state']>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * A deadline and a circuit breaker for one dependency (cockatiel): once it has missed its deadline `failures` times
 * in a row (or refused the connection), every further call is refused at once for `halfOpenMs`, then one call probes
 * it (the others meanwhile refused at once too) and its outcome closes or reopens the breaker. So a frozen Redis costs one deadline, not one per request.
 */
export function createGuard(dependency: DependencyName, opts: GuardOptions): DependencyGuard {
  const retryAfterSeconds = Math.max(1, Math.ceil(opts.halfOpenMs / 1000));
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: opts.halfOpenMs,
    breaker: new ConsecutiveBreaker(opts.failures),
  });
  const deadline = timeout(opts.deadlineMs, TimeoutStrategy.Aggressive);
  const unavailable = (reason: UnavailableReason) => new DependencyUnavailable(dependency, reason, retryAfterSeconds);
  const answerFor = (err: unknown): unknown => {
    if (err instanceof BrokenCircuitError) return unavailable('circuit-open');
    if (err instanceof TaskCancelledError) return unavailable('deadline');
    if (isDependencyUnavailable(err)) return err;
    if (isOutage(err)) return unavailable(timedOut(err) ? 'deadline' : 'unreachable');
    return err;
  };
  // Calls under way when the breaker opens fail with it (`queues`): behind a hung one, a queued call's deadline starts
  // late, so one request's second and third calls would each wait a deadline more.
  const inFlight = new Set<(err: Error) => void>();
  if (opts.queues)
    breaker.onBreak(() => {
      const failing = [...inFlight];
      inFlight.clear();
      // After the call that opened the breaker has settled with its own reason (cockatiel fires this before it rejects).
      setImmediate(() => failing.forEach((fail) => fail(unavailable('deadline'))));
    });
  return {
    dependency,
    retryAfterSeconds,
    state: () => STATE_NAMES[breaker.state],
    run(fn, { deadline: bounded = true } = {}) {
      // While one call probes a dependency that was down, the others are refused at once instead of waiting for the
      // probe's outcome (cockatiel holds them until it settles: up to a whole deadline per request).
      if (breaker.state === CircuitState.HalfOpen) return Promise.reject(unavailable('circuit-open'));
      return new Promise((resolve, reject) => {
        if (opts.queues) inFlight.add(reject);
        breaker
          .execute(({ signal }) => (bounded ? deadline.execute((ctx) => fn(ctx.signal), signal) : fn(signal)))
          .then(resolve, (err: unknown) => reject(answerFor(err)))
          .finally(() => inFlight.delete(reject));
      });
    },
  };
}

function timedOut(err: unknown): boolean {
  const e = err as { code?: unknown; message?: string };
  return e.code === 'ETIMEDOUT' || (e.message?.startsWith('Command timed out') ?? false);
}
