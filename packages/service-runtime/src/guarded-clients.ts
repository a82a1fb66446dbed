import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import type { DependencyGuard } from './dependency-guard.js';

/** Wraps the methods named in `wrapped` of `target` so that each promise they return runs under `guard`. */
function guardMethods<T extends object>(
  target: T,
  wrapped: (name: string, args: unknown[]) => { deadline: boolean } | undefined,
  guard: DependencyGuard,
  after?: (name: string, result: unknown) => unknown,
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const policy = wrapped(prop, args);
        if (!policy) return after ? after(prop, value.apply(obj, args)) : value.apply(obj, args);
        return guard.run(() => value.apply(obj, args) as Promise<unknown>, policy);
      };
    },
  });
}

/**
 * Redis under its guard: every command (and a MULTI's EXEC) answers within the deadline or fails with
 * `DependencyUnavailable`, and while the breaker is open it fails at once without being queued. Connection methods
 * (`quit`, `on`, `duplicate` …) are left as they are.
 */
export function guardRedis(redis: Redis, guard: DependencyGuard): Redis {
  const commands = new Set(redis.getBuiltinCommands());
  commands.delete('multi');
  commands.delete('quit');
  return guardMethods(
    redis,
    (name) => (commands.has(name) ? { deadline: true } : undefined),
    guard,
    (name, result) => {
      if (name !== 'multi' && name !== 'pipeline') return result;
      const pipeline = result as { exec: (...a: unknown[]) => Promise<unknown> };
      const exec = pipeline.exec.bind(pipeline);
      pipeline.exec = (...a: unknown[]) => guard.run(() => exec(...a));
      return pipeline;
    },
  );
}

/** A streamed body: its transfer is bounded by the idle deadline of the socket, not by a total one. */
const isStream = (v: unknown) => typeof (v as { pipe?: unknown } | null)?.pipe === 'function';

/** Client methods that are not requests (configuration, presigning without a round trip, streams opened lazily). */
const LOCAL_METHODS = new Set(['setRequestOptions', 'setAppInfo', 'setS3TransferAccelerate', 'traceOn', 'traceOff']);

/**
 * S3 under its guard: each request's promise answers within the deadline; an upload of a stream is bounded by the
 * socket's idle deadline (no byte moved for that long) instead, so a long upload at a steady pace is never cut.
 */
export function guardS3(s3: Minio.Client, guard: DependencyGuard): Minio.Client {
  return guardMethods(
    s3,
    (name, args) => {
      if (LOCAL_METHODS.has(name) || name.startsWith('presigned') || name.startsWith('list')) return undefined;
      return { deadline: !args.some(isStream) };
    },
    guard,
  );
}

/**
 * An HTTP(S) agent whose sockets are destroyed after `idleMs` without a byte read or written: a frozen server fails
 * the request (ETIMEDOUT) instead of holding it, and a response body that stops mid-way fails its stream.
 */
export function idleDeadlineAgent(secure: boolean, idleMs: number): http.Agent {
  const Base = secure ? https.Agent : http.Agent;
  const agent = new Base({ keepAlive: true, timeout: idleMs });
  const create = (agent as unknown as { createConnection: (...a: unknown[]) => Socket }).createConnection.bind(agent);
  (agent as unknown as { createConnection: (...a: unknown[]) => Socket }).createConnection = (...a: unknown[]) => {
    const socket = create(...a);
    socket.on('timeout', () =>
      socket.destroy(Object.assign(new Error(`no answer within ${idleMs} ms`), { code: 'ETIMEDOUT' })),
    );
    return socket;
  };
  return agent;
}
