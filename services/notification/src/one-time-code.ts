import { OneTimeCodeStore } from '@esign/one-time-codes';
import { type DeliverNotificationInput, type OneTimeCodeInput, type SendResult } from '@esign/temporal-contracts';
import type { WithLinks } from './signer-links.js';
import type { Redis } from 'ioredis';

/**
 * A one-time code for an identity method: six random digits, made once per challenge and kept in Redis for the portal
 * to check, so a retried activity sends the same code (or, with the delivery ledger, nothing again).
 */
export async function oneTimeCodeDelivery(
  deps: { redis: Redis; keyPrefix: string },
  input: OneTimeCodeInput,
): Promise<WithLinks<DeliverNotificationInput>> {
  const code = await new OneTimeCodeStore(deps).issue(input.merchantId, input.challengeId);
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
