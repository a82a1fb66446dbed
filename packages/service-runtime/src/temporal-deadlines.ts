import { InterceptingCall, Metadata, status, type Interceptor, type StatusObject } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { DependencyGuard } from './dependency-guard.js';

/**
 * Calls whose answer waits for a worker (an Update's acceptance and outcome, a query, a workflow's result), not only
 * for Temporal: they get the longer wait deadline, and running out of it says nothing about Temporal's health.
 */
const WAITS_FOR_WORKERS = new Set([
  'UpdateWorkflowExecution',
  'PollWorkflowExecutionUpdate',
  'ExecuteMultiOperation',
  'QueryWorkflow',
  'GetWorkflowExecutionHistory',
]);

export interface TemporalDeadlines {
  /** Calls Temporal answers by itself (start, describe, signal, cancel …). */
  callMs: number;
  /** Calls that wait for a worker. */
  waitMs: number;
}

/**
 * The Temporal client's gRPC interceptors: the deadline and breaker first (outermost, so the client's own retries
 * of UNAVAILABLE stay within the deadline), then the default retry interceptor. While the guard's breaker is open a call ends at once with UNAVAILABLE.
 */
export function temporalInterceptors(deadlines: TemporalDeadlines, guard: DependencyGuard): Interceptor[] {
  const bounded: Interceptor = (options, nextCall) => {
    const method = options.method_definition.path.split('/').pop() ?? '';
    const waits = WAITS_FOR_WORKERS.has(method);
    // A caller's own deadline (`connection.withDeadline`, e.g. an operator's round trip) is kept as it is.
    const deadline = options.deadline ?? Date.now() + (waits ? deadlines.waitMs : deadlines.callMs);
    const call = nextCall({ ...options, deadline });
    return new InterceptingCall(call, {
      start(metadata, listener, next) {
        let settle: ((s: StatusObject) => void) | undefined;
        let started = false;
        guard
          .run(
            () =>
              new Promise<void>((resolve, reject) => {
                started = true;
                settle = (s) => {
                  // Running out of a wait deadline is the worker's slowness, not Temporal's outage.
                  const outage = s.code === status.UNAVAILABLE || (s.code === status.DEADLINE_EXCEEDED && !waits);
                  const code = s.code === status.UNAVAILABLE ? 'ECONNREFUSED' : 'ETIMEDOUT';
                  if (outage) reject(Object.assign(new Error('Temporal did not answer'), { code }));
                  else resolve();
                };
                next(metadata, {
                  onReceiveStatus(s, nextStatus) {
                    settle?.(s);
                    nextStatus(s);
                  },
                });
              }),
            { deadline: false },
          )
          .catch((err: unknown) => {
            if (started) return;
            // Refused by the open breaker: the call never leaves, and ends as Temporal being unavailable.
            listener.onReceiveStatus?.({
              code: status.UNAVAILABLE,
              details: (err as Error).message,
              metadata: new Metadata(),
            });
          });
      },
    });
  };
  return [bounded, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())];
}
