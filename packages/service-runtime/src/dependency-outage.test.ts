import { status } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailable } from './dependency-guard.js';
import { dependencyOutage } from './dependency-outage.js';

/** What grpc-js hands the Temporal client when a call ends with `code` (the client wraps it as its `cause`). */
const grpcStatus = (code: number, details: string) => Object.assign(new Error(details), { code, details });

const updateEndedWith = (code: number, details: string) =>
  new WorkflowUpdateRPCTimeoutOrCancelledError(details, { cause: grpcStatus(code, details) });

describe('dependencyOutage', () => {
  it('names the dependency of a guard refusal, with its Retry-After', () => {
    expect(dependencyOutage(new DependencyUnavailable('Redis', 'circuit-open', 7), 2)).toEqual({
      dependency: 'Redis',
      retryAfterSeconds: 7,
    });
  });

  it('takes an Update that ran out of its deadline as Temporal not answering, however the stream ended', () => {
    for (const [code, details] of [
      [status.DEADLINE_EXCEEDED, 'Deadline exceeded'],
      // The server reset the stream at the deadline the client sent it, before the client's own timer fired.
      [status.CANCELLED, 'Call cancelled'],
      [status.UNAVAILABLE, 'Connection dropped'],
    ] as const) {
      expect(dependencyOutage(updateEndedWith(code, details), 2)).toEqual({
        dependency: 'Temporal',
        retryAfterSeconds: 2,
      });
    }
  });

  it('leaves answers alone: a service error that is an answer is no outage', () => {
    const notFound = new ServiceError('not found', { cause: grpcStatus(status.NOT_FOUND, 'workflow not found') });
    expect(dependencyOutage(notFound, 2)).toBeUndefined();
    const cancelled = new ServiceError('cancelled', { cause: grpcStatus(status.CANCELLED, 'Call cancelled') });
    expect(dependencyOutage(cancelled, 2)).toBeUndefined();
    expect(dependencyOutage(new Error('Task not found'), 2)).toBeUndefined();
  });
});
