// At most once per delivery: a notification's delivery id (stable across activity retries and worker crashes) is
// claimed in Redis before the provider is called, and marked sent after it answered. Redis outlives any worker, so
// a retry sees what the attempts before it did.
import { createHash, randomUUID } from 'node:crypto';
import { type SendResult } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';

/** How long a delivery's state is kept: longer than any workflow retries one notification. */
export const DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * `sending`: an attempt claimed the delivery at `since` and has not recorded an outcome (it is running, or died).
 * `sent`: the provider accepted it at `at`.
 */
export type DeliveryState =
  { state: 'sending'; since: string; attemptId: string } | { state: 'sent'; at: string; providerId?: string };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A claim this attempt holds (`value` is what it stored), or the state an earlier attempt left. */
export type Claim = { claimed: true; value: string } | { claimed: false; found: DeliveryState };

// Deletes the claim only if it is still this attempt's, so a late failure cannot free another attempt's claim.
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class DeliveryLedger {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string }) {}

  key(merchantId: string, deliveryId: string): string {
    return this.deps.keyPrefix + storageKeys.delivery(merchantId, sha256Hex(deliveryId));
  }

  async get(merchantId: string, deliveryId: string): Promise<DeliveryState | null> {
    const raw = await this.deps.redis.get(this.key(merchantId, deliveryId));
    return raw ? (JSON.parse(raw) as DeliveryState) : null;
  }

  /** Claims the delivery for one attempt, or answers the state an earlier attempt left. */
  async claim(merchantId: string, deliveryId: string, since: Date): Promise<Claim> {
    const key = this.key(merchantId, deliveryId);
    const state: DeliveryState = { state: 'sending', since: since.toISOString(), attemptId: randomUUID() };
    const value = JSON.stringify(state);
    // Twice at most: the state found may expire between the SET and the GET.
    for (let i = 0; i < 2; i++) {
      if ((await this.deps.redis.set(key, value, 'EX', DELIVERY_TTL_SECONDS, 'NX')) === 'OK') {
        return { claimed: true, value };
      }
      const found = await this.get(merchantId, deliveryId);
      if (found) return { claimed: false, found };
    }
    throw new Error('delivery state changed twice while being claimed');
  }

  /**
   * Records that the provider took the message. Called after the send, so it insists: a Redis restart at that moment
   * must not leave the claim unresolved (the retry would record an ERROR for a message that went out, or call a URL
   * again). Retried with backoff for up to `patienceMs`, well inside the activity's timeout.
   */
  async markSent(merchantId: string, deliveryId: string, at: Date, providerId?: string, patienceMs = 30_000) {
    const state: DeliveryState = { state: 'sent', at: at.toISOString(), ...(providerId ? { providerId } : {}) };
    const deadline = Date.now() + patienceMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        await this.deps.redis.set(this.key(merchantId, deliveryId), JSON.stringify(state), 'EX', DELIVERY_TTL_SECONDS);
        return;
      } catch (err) {
        if (Date.now() + wait > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Frees a claim after the provider said for sure that nothing was sent, so the next attempt sends. */
  async release(merchantId: string, deliveryId: string, claim: Claim & { claimed: true }): Promise<void> {
    await this.deps.redis.eval(RELEASE_SCRIPT, 1, this.key(merchantId, deliveryId), claim.value);
  }
}

/**
 * Runs `send` at most once per delivery id:
 * - first attempt: claims, sends, records `sent` (SENT, repeated: false);
 * - `sent` found: nothing is sent again (SENT, repeated: true);
 * - `sending` found: an earlier attempt died after claiming, and whether the provider got the message is unknown:
 *   nothing is sent (UNCERTAIN);
 * - `send` throws and `notSent(err)` says the provider surely did not take the message: the claim is released, so a
 *   retry sends; any other error keeps the claim (the next attempt answers UNCERTAIN). Either way `failure(err)` is
 *   thrown: the provider's error as the activity failure it stands for.
 */
export async function sendAtMostOnce(opts: {
  ledger: DeliveryLedger;
  merchantId: string;
  deliveryId: string;
  now: () => Date;
  send: () => Promise<{ providerId?: string }>;
  notSent: (err: unknown) => boolean;
  failure: (err: unknown) => Error;
}): Promise<SendResult> {
  const { ledger, merchantId, deliveryId, now } = opts;
  const claim = await ledger.claim(merchantId, deliveryId, now());
  if (!claim.claimed) {
    const { found } = claim;
    if (found.state === 'sent') {
      return {
        outcome: 'SENT',
        at: found.at,
        repeated: true,
        ...(found.providerId ? { providerId: found.providerId } : {}),
      };
    }
    return { outcome: 'UNCERTAIN', since: found.since };
  }
  let providerId: string | undefined;
  try {
    ({ providerId } = await opts.send());
  } catch (err) {
    if (opts.notSent(err)) await ledger.release(merchantId, deliveryId, claim);
    throw opts.failure(err);
  }
  const at = now();
  await ledger.markSent(merchantId, deliveryId, at, providerId);
  return { outcome: 'SENT', at: at.toISOString(), repeated: false, ...(providerId ? { providerId } : {}) };
}
