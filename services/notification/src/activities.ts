import type { Config } from '@esign/config';
import type { Check } from '@esign/service-runtime';
import type { NotificationActivities } from '@esign/temporal-contracts';
import type { LookupFn } from '@esign/url-guard';
import type { Redis } from 'ioredis';
import type { Transporter } from 'nodemailer';
import { DeliveryLedger } from './delivery-state.js';
import { sendEmail } from './email.js';
import { counted, type NotificationMetrics } from './metrics.js';
import { sendSms, type SmsClient } from './sms.js';
import { oneTimeCodeDelivery } from './one-time-code.js';
import { signerLinks } from './signer-links.js';
import { callUrl } from './url-call.js';

/** Ready when the SMTP server accepts a connection and answers EHLO. */
export const smtpCheck =
  (mail: Transporter): Check =>
  async () => {
    await mail.verify();
  };

export interface NotificationActivityDeps {
  mail: Transporter;
  sms: SmsClient;
  /** Where delivery states are kept (at most once per delivery id, across workers). */
  redis: Redis;
  keyPrefix: string;
  config: Pick<Config, 'smtp' | 'twilio' | 'notifications' | 'signingPortalUrl'>;
  now?: () => Date;
  /** Resolves the host names of URL notifications (default: the system resolver); tests inject one. */
  lookup?: LookupFn;
  /** Counts deliveries by type and outcome (`notificationMetrics(registry)`); none counted when absent. */
  metrics?: NotificationMetrics;
}

/** Activities of the notification service over injected clients (no module-level singletons). */
export function createNotificationActivities(deps: NotificationActivityDeps): NotificationActivities {
  const { mail, sms, config, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  const ledger = new DeliveryLedger({ redis: deps.redis, keyPrefix: deps.keyPrefix });
  const smtp = smtpCheck(mail);
  const n = config.notifications;
  const urlDeps = {
    ledger,
    now,
    policy: { allowLoopback: n.allowLoopback, allowPrivate: n.allowPrivate },
    timeoutMs: n.urlTimeoutMs,
    signingSecret: n.signingSecret,
    lookup: deps.lookup,
  };
  const links = signerLinks({ redis: deps.redis, keyPrefix: deps.keyPrefix, portalUrl: config.signingPortalUrl });
  const emailDeps = { mail, ledger, from: config.smtp.from, senders: n.emailSenders, now };
  return {
    async probeNotificationChannels() {
      await smtp();
      return { smtp: 'reachable' };
    },
    sendEmail: (input) => counted(metrics, 'EMAIL', async () => sendEmail(emailDeps, await links(input))),
    sendSms: (input) =>
      counted(metrics, 'SMS', async () => sendSms({ sms, ledger, from: config.twilio.from, now }, await links(input))),
    callUrl: (input) => counted(metrics, 'URL', async () => callUrl(urlDeps, await links(input))),
    async sendOneTimeCode(input) {
      const delivery = await oneTimeCodeDelivery({ redis: deps.redis, keyPrefix: deps.keyPrefix }, input);
      return input.channel === 'EMAIL'
        ? counted(metrics, 'EMAIL', () => sendEmail(emailDeps, delivery))
        : counted(metrics, 'SMS', () => sendSms({ sms, ledger, from: config.twilio.from, now }, delivery));
    },
  };
}
