import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHungServer, withinPatience, type HungServer } from '../../../test/support/hung-server.js';
import { createMailTransport, smtpNotSent } from './email.js';
import { createSmsClient, twilioFailure, twilioNotSent } from './sms.js';

describe('deadlines against a server that accepts and never answers', () => {
  let hung: HungServer;
  beforeAll(async () => {
    hung = await startHungServer();
  });
  afterAll(() => hung.close());

  it('SMTP: fails the send before the caller gives up, on the greeting, as surely not sent (so it is retried)', async () => {
    const mail = createMailTransport(
      { host: '127.0.0.1', port: hung.port, secure: false, from: 'E-Sign <a@b.example>' },
      300,
    );
    // Several sends at once: each must end on its greeting's deadline, never on the idle socket's (maybe sent).
    const errors = await Promise.all(
      Array.from({ length: 5 }, () =>
        withinPatience(mail.sendMail({ from: 'a@b.example', to: 'c@d.example', subject: 's', text: 't' })).catch(
          (e: unknown) => e,
        ),
      ),
    );
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).not.toContain('still waiting');
      expect((err as { timeoutType?: string }).timeoutType).toBe('GREETING_TIMEOUT');
      expect(smtpNotSent(err)).toBe(true);
    }
    mail.close();
  });

  it('Twilio (the real client): fails the request before the caller gives up, as maybe sent, and retryable', async () => {
    const sms = createSmsClient(
      {
        accountSid: 'AC00000000000000000000000000000000',
        authToken: 'token',
        from: 'ESIGN',
        apiUrl: `http://127.0.0.1:${hung.port}`,
      },
      300,
    );
    const err = await withinPatience(sms.messages.create({ to: '+4712345678', from: 'ESIGN', body: 'hi' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('still waiting');
    // The request went out and nothing came back: Twilio may have created the message, so it is not surely unsent
    // (the at-most-once ledger decides); the failure itself is retryable, not a refusal.
    expect((err as Error).message).toMatch(/timeout/i);
    expect(twilioNotSent(err)).toBe(false);
    expect(twilioFailure(err).nonRetryable).toBe(false);
  });
});
