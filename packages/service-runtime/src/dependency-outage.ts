import { isDependencyUnavailable, isOutage, type DependencyName } from './dependency-guard.js';

export interface DependencyOutage {
  /** The dependency's name, or undefined when the error does not tell which one. */
  dependency?: DependencyName;
  retryAfterSeconds: number;
}

/** Temporal's client errors that mean it did not answer (gRPC UNAVAILABLE or DEADLINE_EXCEEDED, a lost connection). */
const TEMPORAL_ERRORS = new Set(['ServiceError', 'ConnectionError', 'WorkflowUpdateRPCTimeoutOrCancelledError']);
const GRPC_OUTAGE_CODES = new Set([4, 14]);
/**
 * An Update's call can also end CANCELLED at its deadline: the server resets the stream when the deadline the client
 * sent it runs out, which may come before the client's own timer (grpc-js then reports "Call cancelled"). Nothing
 * else cancels these calls, so for an Update it means the same as DEADLINE_EXCEEDED.
 */
const UPDATE_OUTAGE_CODES = new Set([...GRPC_OUTAGE_CODES, 1]);

function isTemporalOutage(err: unknown): boolean {
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown } } | null;
  if (!e) return false;
  if (e.name === 'ServiceError' || e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') {
    const codes = e.name === 'ServiceError' ? GRPC_OUTAGE_CODES : UPDATE_OUTAGE_CODES;
    return e.cause?.code === undefined || codes.has(e.cause.code as number);
  }
  return TEMPORAL_ERRORS.has(e.name ?? '') || GRPC_OUTAGE_CODES.has(e.code as number);
}

/**
 * Whether an error means a dependency is down or hanging (answer 503 with Retry-After, naming it), and which one.
 * `retryAfterSeconds` applies where the error does not carry its own (the breaker's half-open time).
 */
export function dependencyOutage(err: unknown, retryAfterSeconds: number): DependencyOutage | undefined {
  if (isDependencyUnavailable(err)) return { dependency: err.dependency, retryAfterSeconds: err.retryAfterSeconds };
  if (isTemporalOutage(err)) return { dependency: 'Temporal', retryAfterSeconds };
  if (isOutage(err)) return { retryAfterSeconds };
  return undefined;
}
