import { merchantCallbackSecret } from '@esign/notification';
import type { OpsContext } from '../context.js';
import { OpsError, type Outcome } from '../output.js';

/**
 * The key a merchant verifies its URL callbacks with (`X-Sign-Signature`): derived from the server's
 * NOTIFICATION_SIGNING_SECRET and the merchant id, exactly as the notification worker signs. Printed bare, so
 * `$(npm run -s ops -- callback-secret <merchant>)` hands it on; give it to the merchant over a secure channel.
 */
export function callbackSecret(ctx: OpsContext, merchantId: string): Outcome {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(merchantId)) throw new OpsError(`not a merchant id: ${merchantId}`);
  const secret = merchantCallbackSecret(ctx.config().notifications.signingSecret, merchantId);
  return { ok: true, json: { merchantId, secret }, text: secret };
}
