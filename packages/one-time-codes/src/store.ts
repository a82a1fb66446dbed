import { randomInt } from 'node:crypto';
import { ONE_TIME_CODE } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';

/** What a challenge keeps in Redis (a hash): the code and the wrong tries so far. */
export interface OneTimeCodeRecord {
  code: string;
  attempts: number;
}

export type CodeCheck =
  | { outcome: 'right' }
  /** Wrong; `attemptsLeft` 0 means the code is gone now. */
  | { outcome: 'wrong'; attemptsLeft: number }
  /** No such challenge: never made, expired, used or exhausted. */
  | { outcome: 'gone' };

// Made once per challenge: a retried send finds the code already there and sends that one again.
const ISSUE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'code', ARGV[1], 'attempts', 0)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return redis.call('HGET', KEYS[1], 'code')`;

// Compare and count in one step, so concurrent guesses cannot each read the same count: the right code is consumed,
// a wrong one counts, and the try that reaches the limit deletes the code. Answers {1} right, {0, left} wrong, {-1}
// gone (also for a record of another shape, as challenges made before this store kept a JSON string).
const CHECK = `
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return { -1 } end
local code = redis.call('HGET', KEYS[1], 'code')
if not code then return { -1 } end
if code == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return { 1 }
end
local tries = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local max = tonumber(ARGV[2])
if tries >= max then redis.call('DEL', KEYS[1]) end
return { 0, math.max(max - tries, 0) }`;

/**
 * One-time codes of the SMS / e-mail identity methods, one type for both sides: the notification worker issues and
 * sends a code, the signing portal checks what the signer typed.
 */
export class OneTimeCodeStore {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string }) {}

  private key(merchantId: string, challengeId: string) {
    return this.deps.keyPrefix + storageKeys.oneTimeCode(merchantId, challengeId);
  }

  /** The challenge's code: six random digits, made on the first call, the same on every later one until it ends. */
  async issue(merchantId: string, challengeId: string): Promise<string> {
    const fresh = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const code = (await this.deps.redis.eval(
      ISSUE,
      1,
      this.key(merchantId, challengeId),
      fresh,
      String(ONE_TIME_CODE.ttlSeconds),
    )) as string | null;
    if (!code) throw new Error('the one-time code could not be stored');
    return code;
  }

  /** Checks a typed code against the challenge, atomically (see CHECK). */
  async check(merchantId: string, challengeId: string, typed: string): Promise<CodeCheck> {
    // Only six digits can be right; anything else still counts as a try, without reaching Redis with junk.
    const candidate = /^[0-9]{6}$/.test(typed) ? typed : '-';
    const [result, left = 0] = (await this.deps.redis.eval(
      CHECK,
      1,
      this.key(merchantId, challengeId),
      candidate,
      String(ONE_TIME_CODE.maxAttempts),
    )) as [number, number?];
    if (result === 1) return { outcome: 'right' };
    if (result === 0) return { outcome: 'wrong', attemptsLeft: left };
    return { outcome: 'gone' };
  }
}
