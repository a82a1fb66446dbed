import { describe, expect, it } from 'vitest';
import type { ForwardRecord } from '@esign/order-store';
import { holderOf, type TaskContext } from '../task-context.js';
import { forwardProblems } from './forward.js';

const filled = {
  forwarderName: 'Kari',
  forwarderEmail: '',
  recipientName: 'Ola',
  recipientEmail: 'ola@example.com',
  recipientMobile: '',
};

describe('forward form', () => {
  it('takes a recipient with a name and an e-mail address or a mobile number', () => {
    expect(forwardProblems(filled, false)).toEqual({});
    expect(forwardProblems({ ...filled, recipientEmail: '', recipientMobile: '+4791234567' }, false)).toEqual({});
  });

  it('says what is missing or wrong, by field', () => {
    const empty = { forwarderName: '', forwarderEmail: '', recipientName: '', recipientEmail: '', recipientMobile: '' };
    expect(forwardProblems(empty, false)).toEqual({
      forwarderName: 'forwardNameMissing',
      recipientName: 'forwardNameMissing',
      recipientEmail: 'forwardContactMissing',
    });
    expect(
      forwardProblems(
        { ...filled, forwarderEmail: 'kari', recipientEmail: 'ola@', recipientMobile: '4791234567' },
        false,
      ),
    ).toEqual({
      forwarderEmail: 'forwardEmailInvalid',
      recipientEmail: 'forwardEmailInvalid',
      recipientMobile: 'forwardMobileInvalid',
    });
  });

  it('does not ask an identified signer for their name (their identity gives it)', () => {
    expect(forwardProblems({ ...filled, forwarderName: '' }, true)).toEqual({});
  });
});

describe('holderOf', () => {
  const subject = { attributes: [{ name: 'mobile', value: '+4790000000' }] };
  const ctx = (forwards?: ForwardRecord[]) =>
    ({
      spec: { subject, notifications: [{ type: 'EMAIL', recipient: 'kari@example.com' }] },
      task: { ...(forwards ? { forwards } : {}) },
    }) as unknown as TaskContext;

  it('is the order’s subject and recipients until the task is forwarded', () => {
    expect(holderOf(ctx(), 'drop')).toEqual({
      subject,
      notifications: [{ type: 'EMAIL', recipient: 'kari@example.com' }],
    });
  });

  it('is the latest forward’s addresses after one, with the subject only where the configuration keeps it', () => {
    const forwards: ForwardRecord[] = [
      { forwarderName: 'Kari', recipientName: 'Ola', recipientEmail: 'ola@example.com', at: 'x' },
      { forwarderName: 'Ola', recipientName: 'Per', recipientMobile: '+4791234567', at: 'y' },
    ];
    expect(holderOf(ctx(forwards), 'drop')).toEqual({
      subject: undefined,
      notifications: [{ type: 'SMS', recipient: '+4791234567' }],
    });
    expect(holderOf(ctx(forwards), 'keep').subject).toBe(subject);
  });
});
