import { createHash, randomBytes } from 'node:crypto';
import { storageKeys } from '@esign/storage-keys';
import type { SignCodeTarget } from '@esign/temporal-contracts';
import type { Redis } from 'ioredis';

/** The task an artifact lets its signer into. */
export type ArtifactTarget = Pick<SignCodeTarget, 'merchantId' | 'orderId' | 'taskId'>;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Single-sign-on artifacts (`authentication.artifact`): a creation answer carries one per task that asks for it, the
 * merchant appends it to the signer's link, and the portal redeems it once, within its lifetime, in place of the
 * task's log-in before the documents (never in place of identifying to sign). A key family of its own: issued by the
 * creation, consumed by the portal; only the token's hash is stored.
 */
export class Artifacts {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string; lifetimeSeconds: number }) {}

  private key(token: string) {
    return this.deps.keyPrefix + storageKeys.artifact(digest(token));
  }

  /** A new artifact for the task: 256 random bits, valid once for `lifetimeSeconds`. */
  async issue(target: ArtifactTarget): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const { merchantId, orderId, taskId } = target;
    const value = JSON.stringify({ merchantId, orderId, taskId });
    await this.deps.redis.set(this.key(token), value, 'EX', this.deps.lifetimeSeconds);
    return token;
  }

  /** The task the artifact was issued for, once: null when unknown, used already or expired. */
  async redeem(token: string): Promise<ArtifactTarget | null> {
    if (!TOKEN.test(token)) return null;
    const raw = await this.deps.redis.getdel(this.key(token));
    return raw ? (JSON.parse(raw) as ArtifactTarget) : null;
  }
}
