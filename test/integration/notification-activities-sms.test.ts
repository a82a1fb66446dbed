import { freePort } from '@esign/devstack';
import { ERROR_TYPES } from '@esign/temporal-contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { activities, activitiesUnderTest, config, ledger, makeActivities, smsSink } from '../support/activities.js';
import { deliverInput, failureOf, MERCHANT, placeholders } from '../support/notification-inputs.js';

// sendSms through the real twilio client against the dev SMS sink.
describe('notification activities', () => {
  activitiesUnderTest();

  describe('sendSms', () => {
    beforeEach(() => {
      smsSink.clear();
    });

    it('sends To, From and Body through the real twilio client, authenticated as the account', async () => {
      const input = deliverInput({
        type: 'SMS',
        recipient: '+4791234567',
        sender: 'AcmeSign',
        message: 'Sign ${orderId}: ${taskUrl}',
      });
      const result = await activities.sendSms(input);
      expect(result).toMatchObject({
        outcome: 'SENT',
        repeated: false,
        providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      });
      const listed = (await (await fetch(`${smsSink.url}/messages`)).json()) as Array<Record<string, string>>;
      expect(listed).toEqual([
        {
          sid: result.outcome === 'SENT' ? result.providerId : '',
          to: '+4791234567',
          from: 'AcmeSign',
          body: `Sign order-123: ${placeholders.taskUrl}`,
          receivedAt: expect.any(String),
          authorizedAs: config.twilio.accountSid,
        },
      ]);
    });

    it("reads the signer's links from the order when it sends, never from the delivery", async () => {
      const message = 'Sign ${taskUrl} | code ${signCode} | ${signCodeUrl}';
      // Carried links (a delivery begun before the worker read them itself) are replaced by the order's own.
      const stale = {
        ...placeholders,
        taskUrl: 'https://evil.example/x',
        signCode: 'OLD',
        signCodeUrl: 'https://evil',
      };
      await activities.sendSms(
        deliverInput({ type: 'SMS', recipient: '+4791234567', message }, { placeholders: stale }),
      );
      // A task the order does not have (or an order gone) gets no links at all.
      const other = deliverInput(
        { type: 'SMS', recipient: '+4791234568', message },
        { about: { requestId: placeholders.orderId, taskId: 'nobody' } },
      );
      await activities.sendSms(other);
      expect(smsSink.messages().map((m) => m.body)).toEqual([
        `Sign ${placeholders.taskUrl} | code CODE42 | ${placeholders.signCodeUrl}`,
        'Sign  | code  | ',
      ]);
    });

    it('sends from the configured sender, once per delivery id', async () => {
      const input = deliverInput({ type: 'SMS', recipient: '+4798765432', message: 'Code ${signCode}' });
      const first = await activities.sendSms(input);
      expect(await activities.sendSms(input)).toEqual({ ...first, repeated: true });
      expect(smsSink.messages()).toMatchObject([{ from: config.twilio.from, body: 'Code CODE42' }]);
    });

    it('is refused for good with bad credentials or a number that is not E.164', async () => {
      const badAuth = makeActivities({ config: { twilio: { authToken: 'not-the-token' } } });
      const input = deliverInput({ type: 'SMS', recipient: '+4791234567', message: 'x' });
      const failure = await failureOf(badAuth.sendSms(input));
      expect(failure).toMatchObject({ type: ERROR_TYPES.NOTIFICATION_REJECTED, nonRetryable: true });
      expect(failure.message).toContain('HTTP 401');
      expect(await ledger.get(MERCHANT, input.deliveryId)).toBeNull();

      const badNumber = deliverInput({ type: 'SMS', recipient: '004791234567', message: 'x' });
      const rejected = await failureOf(activities.sendSms(badNumber));
      expect(rejected).toMatchObject({ type: ERROR_TYPES.NOTIFICATION_REJECTED, nonRetryable: true });
      expect(rejected.message).toContain('21211');
      expect(rejected.message).not.toContain('004791234567');
      expect(smsSink.messages()).toHaveLength(0);
    });

    it('fails retryably when the Twilio API cannot be reached, and the retry sends', async () => {
      const down = makeActivities({ config: { twilio: { apiUrl: `http://127.0.0.1:${await freePort()}` } } });
      const input = deliverInput({ type: 'SMS', recipient: '+4791234567', message: 'Retry' });
      expect(await failureOf(down.sendSms(input))).toMatchObject({ nonRetryable: false });
      expect(await activities.sendSms(input)).toMatchObject({ outcome: 'SENT', repeated: false });
      expect(smsSink.messages()).toHaveLength(1);
    });
  });
});
