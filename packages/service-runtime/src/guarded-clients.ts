import * as http from 'node:http';
import * as https from 'node:https';
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
 * `DependencyUnavailable`, and while the breaker is open it fails at once without being queued. The deadline is the
 * client's own `commandTimeout` (createRedis sets it to the guard's deadline; a timed-out command counts towards the
 * breaker like any outage): a second timer per command from the guard cost about 17 µs each, most of a status read's
 * Redis time. Connection methods (`quit`, `on`, `duplicate` …) are left as they are.
 */
export function guardRedis(redis: Redis, guard: DependencyGuard): Redis {
  if (typeof redis.options.commandTimeout !== 'number')
    throw new Error('a guarded Redis client needs a commandTimeout');
  const commands = new Set(redis.getBuiltinCommands());
  commands.delete('multi');
  commands.delete('quit');
  return guardMethods(
    redis,
    (name) => (commands.has(name) ? { deadline: false } : undefined),
    guard,
    (name, result) => {
      if (name !== 'multi' && name !== 'pipeline') return result;
      const pipeline = result as { exec: (...a: unknown[]) => Promise<unknown> };
      const exec = pipeline.exec.bind(pipeline);
      pipeline.exec = (...a: unknown[]) => guard.run(() => exec(...a), { deadline: false });
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
  const guarded = guardMethods(
    s3,
    (name, args) => {
      if (LOCAL_METHODS.has(name) || name.startsWith('presigned') || name.startsWith('list')) return undefined;
      return { deadline: !args.some(isStream) };
    },
    guard,
  );
  guards.set(guarded, guard);
  return guarded;
}

const guards = new WeakMap<object, DependencyGuard>();

/**
 * The guard of a client made by `guardS3`, for requests made beside the client on its transport (a PUT to a
 * presigned URL): they run under the same breaker, and their failures are named the same way.
 */
export function guardOf(client: object): DependencyGuard | undefined {
  return guards.get(client);
}

const BODY_IDLE_MS = 30_000;

/**
 * An HTTP(S) agent whose sockets are destroyed after `idleMs` without a byte read or written: a frozen server fails
 * the request (ETIMEDOUT) instead of holding it, and a response body that stops mid-way fails its stream.
 */
export function idleDeadlineAgent(secure: boolean, idleMs: number): http.Agent {
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const timedOut = () => Object.assign(new Error(`no answer within ${idleMs} ms`), { code: 'ETIMEDOUT' });
  // Per request (a reused keep-alive socket included): Node applies it to whichever socket the request gets, and
  // takes it off again when the socket goes back to the pool.
  const add = (agent as unknown as { addRequest: (req: http.ClientRequest, o: unknown) => void }).addRequest.bind(
    agent,
  );
  (agent as unknown as { addRequest: (req: http.ClientRequest, o: unknown) => void }).addRequest = (req, o) => {
    req.setTimeout(idleMs, () => req.destroy(timedOut()));
    // Once S3 has answered, a body read slowly (a merchant downloading at a low rate pauses this socket) is not S3
    // hanging: the answer's body gets the patience of a client upload instead.
    req.once('response', () => req.setTimeout(Math.max(idleMs, BODY_IDLE_MS)));
    add(req, o);
  };
  return agent;
}
