import type { Config, EmailSenderAllowlist } from '@esign/config';
import { ERROR_TYPES, type DeliverNotificationInput, type SendResult } from '@esign/temporal-contracts';
import type { WithLinks } from './signer-links.js';
import { ApplicationFailure } from '@temporalio/activity';
import nodemailer, { type Transporter } from 'nodemailer';
import { sha256Hex, sendAtMostOnce, type DeliveryLedger } from './delivery-state.js';
import { renderEmail } from './render.js';
import { mailIdentity } from './sender.js';

/**
 * The SMTP transport of config.smtp (no STARTTLS towards a plain local sink). `deadlineMs` (SMTP_DEADLINE_SECONDS)
 * bounds the connection, the greeting and every wait for a reply: a hung server fails the attempt instead of holding
 * it, and a failure before the message was handed over is retried as not sent. The idle-socket timeout is a second
 * longer than the greeting's: with both equal, a server that accepted the connection and never greeted could end on
 * the socket timeout first, which does not say the message was not handed over — so it was recorded as maybe sent
 * and never retried (the SMTP freeze of `npm run bench:bounded-waits` lost 30 invitations that way).
 */
export function createMailTransport(smtp: Config['smtp'], deadlineMs = 10_000): Transporter {
  const { host, port, secure, user, password } = smtp;
  return nodemailer.createTransport({
    host,
    port,
    secure,
    connectionTimeout: deadlineMs,
    greetingTimeout: deadlineMs,
    socketTimeout: deadlineMs + 1000,
    ignoreTLS: !secure && host === '127.0.0.1',
    auth: user ? { user, pass: password } : undefined,
  });
}

/** The same Message-ID for every attempt of a delivery, so receivers and relays can drop a duplicate. */
export function messageIdFor(deliveryId: string): string {
  return `<${sha256Hex(deliveryId)}@esign>`;
}

interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  timeoutType?: string;
}

// Failures that happen before the server could have accepted anything.
const NOT_SENT_CODES = new Set(['EDNS', 'EAUTH', 'ENOAUTH', 'EENVELOPE', 'ETLS', 'EREQUIRETLS', 'ECONFIG', 'EPROXY']);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECT_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/**
 * Whether the SMTP server surely did not take the message: it answered with a reply code (a final 4xx/5xx to the
 * envelope or the data), or the conversation failed before the message was handed over. A connection lost during
 * the DATA phase is not surely "not sent".
 */
export function smtpNotSent(err: unknown): boolean {
  const e = (err ?? {}) as SmtpError;
  return (
    typeof e.responseCode === 'number' ||
    NOT_SENT_CODES.has(e.code ?? '') ||
    CONNECT_ERRORS.has(e.originalCode ?? e.code ?? '') ||
    CONNECT_TIMEOUTS.has(e.timeoutType ?? '')
  );
}

/**
 * An SMTP failure as an activity failure, without the server's text (it may quote the recipient): a 5xx reply is a
 * non-retryable NotificationRejected, anything else is retryable.
 */
export function smtpFailure(err: unknown): ApplicationFailure {
  const e = (err ?? {}) as SmtpError;
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return ApplicationFailure.create({
      type: ERROR_TYPES.NOTIFICATION_REJECTED,
      message: `the mail server refused the message (SMTP ${e.responseCode})`,
      nonRetryable: true,
    });
  }
  const what = e.responseCode ? `SMTP ${e.responseCode}` : (e.originalCode ?? e.code ?? 'unknown error');
  return ApplicationFailure.create({
    type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE,
    message: `the mail server did not take the message (${what})`,
    nonRetryable: false,
  });
}

export async function sendEmail(
  deps: {
    mail: Transporter;
    ledger: DeliveryLedger;
    /** SMTP_FROM: the platform's address. */
    from: string;
    /** Which senders each merchant may send as (everything else: Reply-To). */
    senders: EmailSenderAllowlist;
    now: () => Date;
  },
  input: WithLinks<DeliverNotificationInput>,
): Promise<SendResult> {
  const { notification } = input;
  const { subject, text, html } = await renderEmail(notification, input.placeholders);
  const who = mailIdentity({
    sender: notification.sender,
    merchantId: input.merchantId,
    platformFrom: deps.from,
    allowlist: deps.senders,
  });
  return sendAtMostOnce({
    ledger: deps.ledger,
    merchantId: input.merchantId,
    deliveryId: input.deliveryId,
    now: deps.now,
    notSent: smtpNotSent,
    failure: smtpFailure,
    send: async () => {
      const info = (await deps.mail.sendMail({
        from: who.from,
        ...(who.replyTo ? { replyTo: who.replyTo } : {}),
        envelope: { from: who.envelopeFrom, to: notification.recipient },
        to: notification.recipient,
        subject,
        text,
        html,
        messageId: messageIdFor(input.deliveryId),
      })) as { messageId?: string };
      return { providerId: info.messageId };
    },
  });
}
