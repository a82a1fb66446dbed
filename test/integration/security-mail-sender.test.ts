import { describe, expect, it } from 'vitest';
import { mailTo, rawHeader, uniqueAddress, type InboxMail } from '../support/inbox.js';
import type { MerchantName } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';

const PLATFORM = 'no-reply@esign.localhost'; // SMTP_FROM of the stack

/** Orders a one-signer task of `merchant` whose invitation names `sender`, and waits for the mail MailDev got. */
async function mailFrom(merchant: MerchantName, sender: string): Promise<InboxMail> {
  const to = uniqueAddress('sender');
  const { order } = await simpleOrder(merchant);
  (order.tasks[0] as { notifications?: unknown[] }).notifications = [
    { id: 'invite', type: 'EMAIL', recipient: to, sender, header: 'Please sign', message: 'Sign: ${taskUrl}' },
  ];
  const res = await createOrder(merchant, order);
  expect(res.status, await res.clone().text()).toBe(201);
  await expect.poll(async () => (await mailTo(to)).length, { timeout: 20_000 }).toBe(1);
  return (await mailTo(to))[0]!;
}

// Issue 29, finding 11: a merchant's notification `sender` became both From and MAIL FROM, so anyone with API access
// could mail signers as their bank. The stack allows the demo merchant @acme.example (EMAIL_SENDER_ALLOWLIST).
describe('forged e-mail senders', () => {
  it('sends a sender the merchant may not use From the platform, with the sender only as Reply-To', async () => {
    const mail = await mailFrom('demo', 'Your Bank <security@bank.example>');
    expect(mail.from).toEqual([expect.objectContaining({ address: PLATFORM })]);
    expect(await rawHeader(mail, 'Reply-To')).toEqual(['Your Bank <security@bank.example>']);
    expect(await rawHeader(mail, 'From')).toEqual(['"E-Sign" <no-reply@esign.localhost>']); // nodemailer quotes the name
    expect(mail.envelope.from.address).toBe(PLATFORM);
    expect(JSON.stringify(mail.from)).not.toContain('bank.example');
  });

  it('keeps an allow-listed sender as From, but the envelope sender is still the platform', async () => {
    const mail = await mailFrom('demo', 'Acme Signing <noreply@acme.example>');
    expect(mail.from).toEqual([{ address: 'noreply@acme.example', name: 'Acme Signing' }]);
    expect(await rawHeader(mail, 'Reply-To')).toEqual([]);
    expect(mail.envelope.from.address).toBe(PLATFORM);
  });

  it("does not let another merchant use the demo merchant's allowed domain", async () => {
    const mail = await mailFrom('other', 'Acme Signing <noreply@acme.example>');
    expect(mail.from).toEqual([expect.objectContaining({ address: PLATFORM })]);
    expect(await rawHeader(mail, 'Reply-To')).toEqual(['Acme Signing <noreply@acme.example>']);
    expect(mail.envelope.from.address).toBe(PLATFORM);
  });
});
