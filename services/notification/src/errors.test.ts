import { ERROR_TYPES } from '@esign/temporal-contracts';
import { describe, expect, it } from 'vitest';
import { smtpFailure, smtpNotSent } from './email.js';
import { twilioFailure, twilioNotSent } from './sms.js';

// Which provider failures free a delivery for another attempt, and which end it for good.
describe('SMTP failures', () => {
  it('counts a reply code or a failure before the message was handed over as "not sent"', () => {
    expect(smtpNotSent({ code: 'EENVELOPE', responseCode: 550 })).toBe(true);
    expect(smtpNotSent({ code: 'EMESSAGE', responseCode: 451 })).toBe(true);
    expect(smtpNotSent({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' })).toBe(true);
    expect(smtpNotSent({ code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' })).toBe(true);
    expect(smtpNotSent({ code: 'EAUTH', responseCode: 535 })).toBe(true);
    // Lost while the message was being transferred: it may have arrived.
    expect(smtpNotSent({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' })).toBe(false);
    expect(smtpNotSent({ code: 'ECONNECTION' })).toBe(false);
    expect(smtpNotSent(new Error('??'))).toBe(false);
  });

  it('turns 5xx into a non-retryable NotificationRejected and the rest into retryable failures', () => {
    expect(smtpFailure({ responseCode: 550, response: '550 <bob@example.com> unknown' })).toMatchObject({
      type: ERROR_TYPES.NOTIFICATION_REJECTED,
      nonRetryable: true,
      message: 'the mail server refused the message (SMTP 550)',
    });
    expect(smtpFailure({ responseCode: 421 })).toMatchObject({
      nonRetryable: false,
      message: expect.stringContaining('421'),
    });
    expect(smtpFailure({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' })).toMatchObject({
      type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE,
      nonRetryable: false,
      message: 'the mail server did not take the message (ECONNREFUSED)',
    });
  });
});

describe('Twilio failures', () => {
  it('counts a 4xx, a 503 or a connection never made as "not sent"', () => {
    expect(twilioNotSent({ status: 400, code: 21211 })).toBe(true);
    expect(twilioNotSent({ status: 429, code: 20429 })).toBe(true);
    expect(twilioNotSent({ status: 503 })).toBe(true);
    expect(twilioNotSent({ code: 'ECONNREFUSED' })).toBe(true);
    expect(twilioNotSent({ status: 500 })).toBe(false);
    expect(twilioNotSent({ code: 'ECONNABORTED' })).toBe(false);
  });

  it('turns 4xx but 429 into a non-retryable NotificationRejected and the rest into retryable failures', () => {
    expect(twilioFailure({ status: 400, code: 21211, message: "The 'To' number +4712 is not valid" })).toMatchObject({
      type: ERROR_TYPES.NOTIFICATION_REJECTED,
      nonRetryable: true,
      message: 'Twilio refused the message (HTTP 400, error 21211)',
    });
    expect(twilioFailure({ status: 429, code: 20429 })).toMatchObject({ nonRetryable: false });
    expect(twilioFailure({ status: 500 })).toMatchObject({
      nonRetryable: false,
      message: expect.stringContaining('HTTP 500'),
    });
    expect(twilioFailure({ code: 'ECONNREFUSED' })).toMatchObject({
      type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE,
      nonRetryable: false,
    });
  });
});
