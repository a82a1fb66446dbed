import { ERROR_TYPES, TASK_EVENT_TYPES } from '@esign/temporal-contracts';
import { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { checkAction, eventsFor, finalStatusOf } from './signer-actions.js';

const refusal = (action: unknown) => {
  try {
    checkAction(action, ['doc-1']);
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(ERROR_TYPES.VALIDATION);
    return (err as ApplicationFailure).message;
  }
  return undefined;
};

const invitation = { header: 'Documents for you', message: 'Ola forwarded documents to you: ${taskUrl}' };
const forwarded = (forward: object, with_ = invitation) => ({ type: 'FORWARDED', forward, invitation: with_ });

describe('FORWARDED signer action', () => {
  it('takes a forwarder and a recipient with a name and an e-mail address, a mobile number or both', () => {
    const base = { forwarderName: 'Ola', recipientName: 'Kari' };
    expect(refusal(forwarded({ ...base, recipientEmail: 'kari@example.com' }))).toBe(undefined);
    expect(refusal(forwarded({ ...base, recipientMobile: '+4712345678' }))).toBe(undefined);
    expect(
      refusal(
        forwarded({
          ...base,
          forwarderEmail: 'ola@example.com',
          recipientEmail: 'kari@example.com',
          recipientMobile: '+4712345678',
        }),
      ),
    ).toBe(undefined);
  });

  it.each([
    [{ recipientName: 'Kari', recipientEmail: 'k@example.com' }, 'forward.forwarderName must be 1-200 characters'],
    [{ forwarderName: 'Ola', recipientEmail: 'k@example.com' }, 'forward.recipientName must be 1-200 characters'],
    [
      { forwarderName: 'Ola', recipientName: 'x'.repeat(201), recipientEmail: 'k@example.com' },
      'forward.recipientName must be 1-200 characters',
    ],
    [
      { forwarderName: 'Ola', recipientName: 'Kari' },
      "a forward needs the recipient's e-mail address or mobile number",
    ],
    [
      { forwarderName: 'Ola', recipientName: 'Kari', recipientEmail: 'not an address' },
      'forward.recipientEmail must be an e-mail address',
    ],
    [
      { forwarderName: 'Ola', recipientName: 'Kari', recipientMobile: '12345678' },
      'forward.recipientMobile must be an E.164 number',
    ],
    [
      { forwarderName: 'Ola', recipientName: 'Kari', recipientMobile: 4712345678 },
      'forward.recipientMobile must be an E.164 number',
    ],
    [
      { forwarderName: 'Ola', forwarderEmail: 'ola', recipientName: 'Kari', recipientMobile: '+4712345678' },
      'forward.forwarderEmail must be an e-mail address',
    ],
  ])('refuses the forward %j', (forward, message) => {
    expect(refusal(forwarded(forward))).toBe(message);
  });

  it('needs the invitation the new signer is sent', () => {
    const forward = { forwarderName: 'Ola', recipientName: 'Kari', recipientEmail: 'kari@example.com' };
    expect(refusal({ type: 'FORWARDED', forward })).toBe('invitation needs a header and a message');
    expect(refusal(forwarded(forward, { header: 'x', message: '' }))).toBe('invitation needs a header and a message');
  });

  it('is recorded as TASK_FORWARDED without personal data, and does not end the task', () => {
    const action = {
      type: 'FORWARDED',
      forward: { forwarderName: 'Ola', recipientName: 'Kari', recipientEmail: 'kari@example.com' },
      invitation,
    } as const;
    const events = eventsFor(action, '2026-01-01T00:00:00.000Z', true);
    expect(events).toEqual([{ eventType: TASK_EVENT_TYPES.FORWARDED, eventTime: '2026-01-01T00:00:00.000Z' }]);
    expect(JSON.stringify(events)).not.toContain('kari');
    expect(finalStatusOf(action)).toBe(undefined);
  });
});
