import { createHash } from 'node:crypto';
import type { PortalLimits } from '@esign/config';
import { countHit, hitsSoFar } from '@esign/service-runtime';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';

/** The task (and method) a one-time code is for. */
export interface CodeScope {
  merchantId: string;
  orderId: string;
  taskId: string;
  method: string;
}

export type LimitVerdict =
  | { ok: true }
  /** `locked`: the method is locked for the task; `busy`: too many for now, try again after `retryAfter` seconds. */
  | { ok: false; reason: 'locked' | 'busy'; retryAfter: number };

/** What was counted for, as a short hash: keys carry no link secret, phone number, e-mail address or IP. */
const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 32);

/**
 * The portal's signer protections, in Redis so they hold across replicas (docs/reliability.md): how often one link
 * may be opened, how many one-time codes a task, a recipient and a client address may ask for, and how many wrong
 * codes lock the method for the task.
 */
export class SignerLimits {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string; limits: PortalLimits }) {}

  private key(kind: string, subject: string) {
    return this.deps.keyPrefix + storageKeys.portalLimit(kind, subject);
  }

  private async within(kind: string, subject: string, max: number, windowSeconds: number): Promise<LimitVerdict> {
    const { count, resetSeconds } = await countHit(this.deps.redis, this.key(kind, subject), windowSeconds);
    return count <= max ? { ok: true } : { ok: false, reason: 'busy', retryAfter: resetSeconds };
  }

  /** One more open of a signing link (by its sign code). */
  linkOpen(signCode: string): Promise<LimitVerdict> {
    return this.within('link', digest(signCode), this.deps.limits.linkOpensPerMinute, 60);
  }

  private lockKey(scope: CodeScope) {
    return this.key('otp-lock', digest(scope.merchantId, scope.orderId, scope.taskId, scope.method));
  }

  /** Seconds the method stays locked for the task (0: not locked). */
  async lockedFor(scope: CodeScope): Promise<number> {
    return Math.max(0, await this.deps.redis.ttl(this.lockKey(scope)));
  }

  /**
   * A new code asked for: refused while the method is locked, within the resend interval of the task's last code,
   * or beyond the window's limits per task, per recipient and per client address. Counted only when allowed by the
   * checks before it, so a refused ask does not use up another limit.
   */
  async challenge(scope: CodeScope, recipient: string, address: string): Promise<LimitVerdict> {
    const o = this.deps.limits.otp;
    const locked = await this.lockedFor(scope);
    if (locked > 0) return { ok: false, reason: 'locked', retryAfter: locked };
    const task = digest(scope.merchantId, scope.orderId, scope.taskId);
    if (o.resendSeconds > 0) {
      const set = await this.deps.redis.set(this.key('otp-resend', task), '1', 'EX', o.resendSeconds, 'NX');
      if (set !== 'OK') {
        const ttl = await this.deps.redis.ttl(this.key('otp-resend', task));
        return { ok: false, reason: 'busy', retryAfter: Math.max(1, ttl) };
      }
    }
    for (const [kind, subject, max] of [
      ['otp-task', task, o.challengesPerTask],
      ['otp-recipient', digest(recipient.toLowerCase()), o.challengesPerRecipient],
      ['otp-address', digest(address), o.challengesPerAddress],
    ] as const) {
      const verdict = await this.within(kind, subject, max, o.windowSeconds);
      if (!verdict.ok) return verdict;
    }
    return { ok: true };
  }

  /** Whether wrong codes from this client address are refused for now (checked before a code is compared). */
  async addressBlocked(address: string): Promise<LimitVerdict> {
    const o = this.deps.limits.otp;
    const key = this.key('otp-fail-address', digest(address));
    if ((await hitsSoFar(this.deps.redis, key)) < o.failuresPerAddress) return { ok: true };
    return { ok: false, reason: 'busy', retryAfter: Math.max(1, await this.deps.redis.ttl(key)) };
  }

  /**
   * A wrong code: counted per task and per client address. The task's last allowed failure locks the method for it
   * (answers `locked: true` once, when the lock is set).
   */
  async failure(scope: CodeScope, address: string): Promise<{ failures: number; locked: boolean }> {
    const o = this.deps.limits.otp;
    await countHit(this.deps.redis, this.key('otp-fail-address', digest(address)), o.windowSeconds);
    const task = digest(scope.merchantId, scope.orderId, scope.taskId, scope.method);
    const { count } = await countHit(this.deps.redis, this.key('otp-fail-task', task), o.lockSeconds);
    if (count < o.failuresPerTask) return { failures: count, locked: false };
    const set = await this.deps.redis.set(this.lockKey(scope), '1', 'EX', o.lockSeconds, 'NX');
    return { failures: count, locked: set === 'OK' };
  }
}
