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
}

/** Every mail the stack's SMTP server received for `address`, oldest first. */
export async function mailTo(address: string): Promise<InboxMail[]> {
  const query = new URLSearchParams({ 'to.address': address, sort: 'asc' });
  const res = await fetch(`${inject('stack').mailUi}/api/email?${query.toString()}`);
  if (res.status !== 200) throw new Error(`MailDev answered ${res.status}`);
  return (await res.json()) as InboxMail[];
}

/** A recipient address no other test uses, so a test counts only its own mail. */
export const uniqueAddress = (label: string) =>
  `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.test`;
