import { freePort } from '@esign/devstack';
import { DEFAULT_SUBJECT, messageIdFor } from '@esign/notification';
import { ERROR_TYPES } from '@esign/temporal-contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { activities, activitiesUnderTest, config, ledger, makeActivities, redis, smtp } from '../support/activities.js';
import { parseMail } from '../support/mime.js';
import { deliverInput, failureOf, MERCHANT, placeholders } from '../support/notification-inputs.js';

// sendEmail against an in-process SMTP server (SMS: notification-activities-sms.test.ts; URL callbacks:
// notification-activities-url.test.ts).
describe('notification activities', () => {
  activitiesUnderTest();

  describe('sendEmail', () => {
    beforeEach(() => {
      smtp.mails.length = 0;
    });

    it('sends From, To, Subject, a text and an HTML part, placeholders substituted and HTML escaped', async () => {
      const input = deliverInput({
        type: 'EMAIL',
        recipient: 'signer@example.com',
        sender: 'Acme Signing <noreply@acme.example>',
        header: 'Please sign order ${orderId}',
        message: 'Dear customer of ${clientRef},\nsign at ${taskUrl}\nor use code ${signCode} at ${signCodeUrl}',
      });
      const result = await activities.sendEmail(input);
      expect(result).toMatchObject({ outcome: 'SENT', repeated: false });

      expect(smtp.mails).toHaveLength(1);
      const [received] = smtp.mails;
      // The sender is allow-listed for the merchant (the stack's EMAIL_SENDER_ALLOWLIST), so it is the From; the
      // envelope (bounces, SPF) is always the platform's.
      expect(received!.envelopeFrom).toBe('no-reply@esign.localhost');
      expect(received!.envelopeTo).toEqual(['signer@example.com']);
      const mail = parseMail(received!.raw);
      expect(mail.header('from')).toEqual(['Acme Signing <noreply@acme.example>']);
      expect(mail.header('to')).toEqual(['signer@example.com']);
      expect(mail.header('subject')).toEqual(['Please sign order order-123']);
      expect(mail.header('message-id')).toEqual([messageIdFor(input.deliveryId)]);
      expect(messageIdFor(input.deliveryId)).toMatch(/^<[0-9a-f]{64}@esign>$/);

      // the message, then the template's link to the task and its closing notice (English: no template given)
      expect(mail.text).toBe(
        `Dear customer of ${placeholders.clientRef},\nsign at ${placeholders.taskUrl}\n` +
          `or use code CODE42 at ${placeholders.signCodeUrl}\n\n` +
          `If the button does not work, open this link:\n${placeholders.taskUrl}\n\n` +
          'This is an automated message; please do not reply.',
      );
      expect(mail.html).toContain(
        'Dear customer of &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Sons,<br>',
      );
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain(
        '<a href="http://127.0.0.1:8080/std/docaction?request_id=order-123&amp;task_id=signer1&amp;sign_code=CODE42">',
      );
      expect(mail.html).toContain(
        'or use code CODE42 at <a href="http://127.0.0.1:8080/std/docaction?sign_code=CODE42">',
      );
    });

    it('sends from the configured address with a default subject, and packaging notifications verbatim', async () => {
      const input = deliverInput(
        { type: 'EMAIL', recipient: 'archive@example.com', message: 'Package for ${orderId} is ready' },
        { placeholders: undefined, about: { requestId: 'order-123', packagingTaskId: 'pkg1' } },
      );
      await activities.sendEmail(input);
      const mail = parseMail(smtp.mails[0]!.raw);
      expect(config.smtp.from).toBe('E-Sign <no-reply@esign.localhost>');
      expect(smtp.mails[0]!.envelopeFrom).toBe('no-reply@esign.localhost');
      expect(mail.header('from')).toEqual(['"E-Sign" <no-reply@esign.localhost>']); // nodemailer quotes the name
      expect(mail.header('subject')).toEqual([DEFAULT_SUBJECT]);
      expect(mail.text).toBe('Package for ${orderId} is ready\n\nThis is an automated message; please do not reply.');
    });

    it('keeps CR/LF in the header or a placeholder value from adding headers or recipients', async () => {
      const input = deliverInput(
        {
          type: 'EMAIL',
          recipient: 'signer@example.com',
          header: 'Sign ${clientRef}\r\nBcc: victim@example.com\nX-Injected: 1',
          message: 'Hello',
        },
        { placeholders: { ...placeholders, clientRef: 'Acme\r\nCc: other@example.com' } },
      );
      await activities.sendEmail(input);
      const [received] = smtp.mails;
      expect(received!.envelopeTo).toEqual(['signer@example.com']);
      const mail = parseMail(received!.raw);
      expect(mail.headerNames).not.toContain('bcc');
      expect(mail.headerNames).not.toContain('cc');
      expect(mail.headerNames).not.toContain('x-injected');
      expect(mail.header('subject')).toEqual(['Sign Acme Cc: other@example.com Bcc: victim@example.com X-Injected: 1']);
    });

    it('sends once per delivery id: a second attempt answers SENT, repeated, without sending', async () => {
      const input = deliverInput({ type: 'EMAIL', recipient: 'once@example.com', message: 'Once' });
      const first = await activities.sendEmail(input);
      const second = await activities.sendEmail(input);
      expect(first).toMatchObject({ outcome: 'SENT', repeated: false });
      expect(second).toEqual({ ...first, repeated: true });
      expect(smtp.mails).toHaveLength(1);
      expect(await ledger.get(MERCHANT, input.deliveryId)).toMatchObject({ state: 'sent' });
      // The state is stored under the delivery key of the hashed id, with the 30-day TTL.
      const ttl = await redis.ttl(ledger.key(MERCHANT, input.deliveryId));
      expect(ttl).toBeGreaterThan(29 * 24 * 3600);
      expect(ledger.key(MERCHANT, input.deliveryId)).not.toContain(input.deliveryId);
    });

    it('answers UNCERTAIN without sending when an earlier attempt died after claiming the delivery', async () => {
      const input = deliverInput({ type: 'EMAIL', recipient: 'dead@example.com', message: 'Maybe' });
      const since = '2024-01-01T10:00:00.000Z';
      await redis.set(
        ledger.key(MERCHANT, input.deliveryId),
        JSON.stringify({ state: 'sending', since, attemptId: 'dead-attempt' }),
        'EX',
        600,
      );
      expect(await activities.sendEmail(input)).toEqual({ outcome: 'UNCERTAIN', since });
      expect(smtp.mails).toHaveLength(0);
    });

    it('fails non-retryably with NotificationRejected on SMTP 550, without the address in the message', async () => {
      const input = deliverInput({ type: 'EMAIL', recipient: 'reject-550@example.com', message: 'No' });
      const failure = await failureOf(activities.sendEmail(input));
      expect(failure).toMatchObject({ type: ERROR_TYPES.NOTIFICATION_REJECTED, nonRetryable: true });
      expect(failure.message).toContain('550');
      expect(failure.message).not.toContain('reject-550@example.com');
      // Nothing was sent, so the claim is released: a later attempt may try again.
      expect(await ledger.get(MERCHANT, input.deliveryId)).toBeNull();
      expect(smtp.mails).toHaveLength(0);
    });

    it('fails retryably on SMTP 4xx and when the server is down, and the retry then sends', async () => {
      const busy = deliverInput({ type: 'EMAIL', recipient: 'busy-451@example.com', message: 'Later' });
      expect(await failureOf(activities.sendEmail(busy))).toMatchObject({ nonRetryable: false });
      expect(await ledger.get(MERCHANT, busy.deliveryId)).toBeNull();

      const down = makeActivities({ config: { smtp: { port: await freePort() } } });
      const input = deliverInput({ type: 'EMAIL', recipient: 'retry@example.com', message: 'Retry me' });
      const failure = await failureOf(down.sendEmail(input));
      expect(failure).toMatchObject({ type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE, nonRetryable: false });
      expect(failure.message).toContain('ECONNREFUSED');
      expect(await ledger.get(MERCHANT, input.deliveryId)).toBeNull();
      expect(await activities.sendEmail(input)).toMatchObject({ outcome: 'SENT', repeated: false });
      expect(smtp.mails).toHaveLength(1);
    });
  });
});
