import { z } from 'zod';
import { jsonSetting } from './json-setting.js';
import { ConfigError } from './parse-env.js';

// Which From addresses each merchant may send e-mail as (issue 29, finding 11): the operator lists them, because only
// the operator knows which domains authorize the platform's mail servers (SPF, DKIM). Anything else a merchant names
// as `sender` becomes Reply-To, and the mail goes From the platform's SMTP_FROM.

const DOMAIN = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
/** `noreply@example.com` (that address) or `@example.com` (any address at exactly that domain). */
const ENTRY = new RegExp(`^([A-Za-z0-9!#$%&'*+/=?^_\`{|}~.-]{1,64})?@${DOMAIN}$`);

const Allowlist = z.record(
  z.string().min(1).max(128),
  z.array(z.string().max(254).regex(ENTRY, 'must be an address (noreply@example.com) or a domain (@example.com)')),
);

export type EmailSenderAllowlist = ReadonlyMap<string, readonly string[]>;

/** The allow-list from its JSON (`{ "<merchantId>": ["noreply@example.com", "@example.com"] }`), lower-cased. */
export function parseEmailSenders(
  json: string,
): { ok: true; value: EmailSenderAllowlist } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: ['is not valid JSON'] };
  }
  const parsed = Allowlist.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`) };
  }
  const entries = Object.entries(parsed.data).map(([merchant, list]) => [merchant, list.map((a) => a.toLowerCase())]);
  return { ok: true, value: new Map(entries as Array<[string, string[]]>) };
}

/** The allow-list, inline JSON or from its file; a bad one stops the start, naming the variable. */
export function loadEmailSenders(inline: string | undefined, file: string | undefined): EmailSenderAllowlist {
  const { json, setting } = jsonSetting('EMAIL_SENDER_ALLOWLIST', inline, file, '{}');
  const parsed = parseEmailSenders(json);
  if (!parsed.ok) throw new ConfigError(parsed.problems.map((p) => `${setting}: ${p}`));
  return parsed.value;
}
