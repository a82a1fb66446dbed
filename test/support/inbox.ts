import { inject } from 'vitest';
import './stack-info.js';

/** A message as the stack's MailDev REST API (v3, routes under /api) returns it. */
export interface InboxMail {
  id: string;
  subject: string;
  text: string;
  html: string;
  from: Array<{ address: string; name: string }>;
  to: Array<{ address: string; name: string }>;
  headers: Record<string, string>;
  /** The SMTP envelope: `from` is the MAIL FROM address (the bounce address), not the From header. */
  envelope: { from: { address: string }; to: Array<{ address: string }> };
}

/** Every mail the stack's SMTP server received for `address`, oldest first. */
export async function mailTo(address: string): Promise<InboxMail[]> {
  const query = new URLSearchParams({ 'to.address': address, sort: 'asc' });
  const res = await fetch(`${inject('stack').mailUi}/api/email?${query.toString()}`);
  if (res.status !== 200) throw new Error(`MailDev answered ${res.status}`);
  return (await res.json()) as InboxMail[];
}

/** The values of a header in the raw message as MailDev received it (folded lines joined), in order. */
export async function rawHeader(mail: InboxMail, name: string): Promise<string[]> {
  const res = await fetch(`${inject('stack').mailUi}/api/email/${mail.id}/source`);
  if (res.status !== 200) throw new Error(`MailDev answered ${res.status}`);
  const head = (await res.text()).split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const prefix = `${name.toLowerCase()}:`;
  return head
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

/** A recipient address no other test uses, so a test counts only its own mail. */
export const uniqueAddress = (label: string) =>
  `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.test`;
