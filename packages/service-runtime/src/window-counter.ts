import type { Redis } from 'ioredis';

// INCR and the expiry in one atomic script, so a crash between them cannot leave a counter that never expires.
const COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the window ends (at least 1). */
  resetSeconds: number;
}

/**
 * Counts one hit against a fixed window kept in Redis (so a limit holds across replicas): `key` names what is
 * counted, the window is `windowSeconds` long from the first hit.
 */
export async function countHit(redis: Redis, key: string, windowSeconds: number): Promise<WindowCount> {
  const [count, ttlMs] = (await redis.eval(COUNT_SCRIPT, 1, key, String(windowSeconds * 1000))) as [number, number];
  return { count, resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
}

/** The hits counted so far in the key's window (0 when it has none). */
export async function hitsSoFar(redis: Redis, key: string): Promise<number> {
  return Number((await redis.get(key)) ?? 0);
}
