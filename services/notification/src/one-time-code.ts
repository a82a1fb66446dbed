import { randomInt } from 'node:crypto';
import {
  ONE_TIME_CODE,
  storageKeys,
  type DeliverNotificationInput,
  type OneTimeCodeInput,
  type SendResult,
} from '@esign/temporal-contracts';
import type { Redis } from 'ioredis';

/**
 * A one-time code for an identity method: six random digits, made once per challenge and kept in Redis for the portal
 * to check, so a retried activity sends the same code (or, with the delivery ledger, nothing again).
 */
export async function oneTimeCodeDelivery(
  deps: { redis: Redis; keyPrefix: string },
  input: OneTimeCodeInput,
): Promise<DeliverNotificationInput> {
  const key = deps.keyPrefix + storageKeys.oneTimeCode(input.merchantId, input.challengeId);
  const fresh = JSON.stringify({ code: String(randomInt(0, 1_000_000)).padStart(6, '0'), attempts: 0 });
  await deps.redis.set(key, fresh, 'EX', ONE_TIME_CODE.ttlSeconds, 'NX');
  const stored = await deps.redis.get(key);
  if (!stored) throw new Error('the one-time code expired before it was sent');
  const { code } = JSON.parse(stored) as { code: string };
  return {
    deliveryId: `otp-${input.challengeId}`,
    merchantId: input.merchantId,
    notification: {
      id: 'one-time-code',
      type: input.channel,
      recipient: input.recipient,
      header: input.subject,
      message: input.message.replaceAll('{code}', code),
    },
    about: { requestId: input.challengeId },
  };
}

export type SendOneTimeCode = (input: OneTimeCodeInput) => Promise<SendResult>;
