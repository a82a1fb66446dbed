import type { Check } from '@esign/service-runtime';
import type { NotificationActivities } from '@esign/temporal-contracts';
import type { Transporter } from 'nodemailer';

/** Ready when the SMTP server accepts a connection and answers EHLO. */
export const smtpCheck =
  (mail: Transporter): Check =>
  async () => {
    await mail.verify();
  };

/**
 * Activities of the notification service over an injected SMTP transport. Sending e-mail, SMS and URL callbacks
 * arrives with the Notifications issue; the probe lets a workflow prove the worker and its SMTP server are up.
 */
export function createNotificationActivities({ mail }: { mail: Transporter }): NotificationActivities {
  const smtp = smtpCheck(mail);
  return {
    async probeNotificationChannels() {
      await smtp();
      return { smtp: 'reachable' };
    },
  };
}
