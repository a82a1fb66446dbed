import { describe, expect, it } from 'vitest';
import { addressOf, mailIdentity, senderAllowed } from './sender.js';

const allowlist = new Map([
  ['acme', ['noreply@acme.example', '@mail.acme.example']],
  ['other', ['@other.example']],
]);
const platformFrom = 'E-Sign <no-reply@esign.example>';

describe('e-mail sender policy', () => {
  it('reads the address of a mailbox, with or without a display name', () => {
    expect(addressOf('Acme Signing <NoReply@Acme.Example>')).toBe('noreply@acme.example');
    expect(addressOf(' noreply@acme.example ')).toBe('noreply@acme.example');
  });

  it('allows listed addresses and any address at a listed domain, for that merchant only', () => {
    expect(senderAllowed(allowlist, 'acme', 'noreply@acme.example')).toBe(true);
    expect(senderAllowed(allowlist, 'acme', 'billing@mail.acme.example')).toBe(true);
    expect(senderAllowed(allowlist, 'acme', 'billing@acme.example')).toBe(false);
    expect(senderAllowed(allowlist, 'acme', 'x@sub.mail.acme.example')).toBe(false);
    expect(senderAllowed(allowlist, 'other', 'noreply@acme.example')).toBe(false);
    expect(senderAllowed(allowlist, 'constructor', 'noreply@acme.example')).toBe(false);
    expect(senderAllowed(new Map(), 'acme', 'noreply@acme.example')).toBe(false);
  });

  it('keeps an allowed sender as From; puts any other behind the platform address as Reply-To', () => {
    const id = (sender: string | undefined, merchantId = 'acme') =>
      mailIdentity({ sender, merchantId, platformFrom, allowlist });
    expect(id('Acme <noreply@acme.example>')).toEqual({
      from: 'Acme <noreply@acme.example>',
      envelopeFrom: 'no-reply@esign.example',
    });
    expect(id('Your Bank <security@bank.example>')).toEqual({
      from: platformFrom,
      replyTo: 'Your Bank <security@bank.example>',
      envelopeFrom: 'no-reply@esign.example',
    });
    expect(id('Acme <noreply@acme.example>', 'other')).toMatchObject({ from: platformFrom });
    expect(id(undefined)).toEqual({ from: platformFrom, envelopeFrom: 'no-reply@esign.example' });
  });
});
