// The stack's SMTP inbox (MailDev, never restarted during the run), read through its REST API and counted by
// Message-ID: the notification worker gives every attempt of one delivery the same Message-ID, so one delivery
// arriving twice shows up as a count of 2.

export interface Mail {
  messageId: string;
  to: string;
  subject: string;
  /** When MailDev received it (epoch ms), when it says. */
  receivedAt?: number;
}

interface MaildevMail {
  subject?: string;
  time?: string;
  messageId?: string;
  headers?: Record<string, string | string[] | undefined>;
  to?: Array<{ address: string }>;
}

export class Mailbox {
  constructor(private readonly apiUrl: string) {}

  /** Every mail received (for `to`, when given), oldest first. */
  async list(to?: string): Promise<Mail[]> {
    const query = new URLSearchParams({ sort: 'asc', ...(to ? { 'to.address': to } : {}) });
    const res = await fetch(`${this.apiUrl}/api/email?${query.toString()}`, { signal: AbortSignal.timeout(30_000) });
    if (res.status !== 200) throw new Error(`MailDev answered ${res.status}`);
    const mails = (await res.json()) as MaildevMail[];
    return mails.flatMap((m) =>
      (m.to ?? []).map((recipient) => ({
        messageId: headerValue(m.headers?.['message-id']) ?? m.messageId ?? '',
        to: recipient.address,
        subject: m.subject ?? '',
        ...(m.time ? { receivedAt: Date.parse(m.time) } : {}),
      })),
    );
  }

  /** How often each Message-ID arrived. */
  async countByMessageId(to?: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const m of await this.list(to))
      counts.set(normalise(m.messageId), (counts.get(normalise(m.messageId)) ?? 0) + 1);
    return counts;
  }
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Message-IDs with their angle brackets, whichever way the inbox reports them. */
export const normalise = (messageId: string) => (messageId.startsWith('<') ? messageId : `<${messageId}>`);
