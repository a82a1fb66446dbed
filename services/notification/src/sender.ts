import type { EmailSenderAllowlist } from '@esign/config';

const NAMED_ADDRESS = /^([^<>]*)<([^<>]+)>$/;

/** The address in `Name <address>` or `address`, lower-cased. */
export function addressOf(mailbox: string): string {
  return (NAMED_ADDRESS.exec(mailbox.trim())?.[2] ?? mailbox).trim().toLowerCase();
}

/** Whether the allow-list lets this merchant send as this address: listed itself, or its domain as `@domain`. */
export function senderAllowed(allowlist: EmailSenderAllowlist, merchantId: string, address: string): boolean {
  const allowed = allowlist.get(merchantId) ?? [];
  const domain = address.slice(address.lastIndexOf('@'));
  return allowed.includes(address) || allowed.includes(domain);
}

export interface MailIdentity {
  /** The From header. */
  from: string;
  /** Where replies go, when the merchant named a sender it may not send as. */
  replyTo?: string;
  /** MAIL FROM: always the platform's address, so bounces come to the platform and SPF is checked against it. */
  envelopeFrom: string;
}

/**
 * Who a merchant's e-mail is from (issue 29, finding 11): its `sender` when the allow-list lets it use that address;
 * otherwise the platform's address (SMTP_FROM) with the merchant's sender as Reply-To, so no merchant can mail as
 * someone else (a bank, another merchant) through the platform. The envelope sender is always the platform's.
 */
export function mailIdentity(opts: {
  sender: string | undefined;
  merchantId: string;
  platformFrom: string;
  allowlist: EmailSenderAllowlist;
}): MailIdentity {
  const { sender, merchantId, platformFrom, allowlist } = opts;
  const envelopeFrom = addressOf(platformFrom);
  if (sender === undefined) return { from: platformFrom, envelopeFrom };
  if (senderAllowed(allowlist, merchantId, addressOf(sender))) return { from: sender, envelopeFrom };
  return { from: platformFrom, replyTo: sender, envelopeFrom };
}
