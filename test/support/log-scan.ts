// Scans service logs for what must never be logged: secrets (client secrets, the sign-code and callback HMAC
// secrets, S3, SMTP and Twilio credentials, bearer tokens and JWTs, session cookies, sign codes, private keys) and
// personal data (the test identities' national ids and names, e-mail addresses, phone numbers). The integration
// run's global teardown runs it over the stack's logs and fails the run on any finding.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_DEFAULTS } from '@esign/config';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Needle {
  /** What it is, e.g. `client secret` or `national id`. */
  kind: string;
  /** A literal value (matched as a whole word where it is a word) or a pattern. */
  match: string | RegExp;
}

export interface LogFinding {
  file: string;
  line: number;
  kind: string;
  /** The match, masked: its first characters and its length. */
  masked: string;
}

export const mask = (value: string) => `${value.slice(0, 3)}…(${value.length} chars)`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns of secrets and personal data whatever their value. */
export const GENERIC_NEEDLES: Needle[] = [
  { kind: 'JWT', match: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
  { kind: 'bearer token', match: /\bBearer\s+(?!realm=)[A-Za-z0-9\-._~+/]{16,}=*/ },
  { kind: 'basic credentials', match: /\bBasic\s+[A-Za-z0-9+/]{12,}={0,2}/ },
  { kind: 'portal session cookie', match: /\besign_portal=[A-Za-z0-9_-]{16,}/ },
  { kind: 'sign code', match: /\bsign_code=[A-Za-z0-9_-]{16,}/ },
  { kind: 'client secret parameter', match: /\bclient_secret["'=:\s]+(?!\[)[^\s"'&,}]{4,}/ },
  { kind: 'password parameter', match: /\bpassword["'=:\s]+(?!\[)[^\s"'&,}]{4,}/i },
  { kind: 'private key', match: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  // Not a protobuf type URL after an escaped newline (`\n@type.googleapis.com/…` in a gRPC status the SDK logs).
  {
    kind: 'e-mail address',
    match: /\b[A-Za-z0-9._%+-]+@(?!type\.googleapis\.com\/)(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b/,
  },
  { kind: 'phone number', match: /(?<![\w+])\+[1-9]\d{7,14}\b/ },
];

/** Literal values: each one a needle of its kind (empty and very short values are skipped: they match anything). */
export function literalNeedles(kind: string, values: Iterable<string | undefined>): Needle[] {
  return [...new Set([...values].filter((v): v is string => typeof v === 'string' && v.length >= 6))].map((value) => ({
    kind,
    match: value,
  }));
}

function compile(needle: Needle): RegExp {
  if (needle.match instanceof RegExp) return new RegExp(needle.match.source, `${needle.match.flags.replace('g', '')}g`);
  const body = escape(needle.match);
  // A word is matched as a word (a national id inside a longer number is something else).
  const start = /^\w/.test(needle.match) ? '(?<![\\w])' : '';
  const end = /\w$/.test(needle.match) ? '(?![\\w])' : '';
  return new RegExp(`${start}${body}${end}`, 'gu');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Every needle found in the text files under `dir`, with file (relative to `dir`) and line; `stats`, when given,
 * counts the files and lines read.
 */
export function scanLogs(dir: string, needles: Needle[], stats?: { files: number; lines: number }): LogFinding[] {
  const compiled = needles.map((n) => ({ kind: n.kind, re: compile(n) }));
  const findings: LogFinding[] = [];
  for (const file of filesUnder(dir)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    if (stats) {
      stats.files++;
      stats.lines += lines.length;
    }
    lines.forEach((text, i) => {
      for (const { kind, re } of compiled) {
        re.lastIndex = 0;
        for (const m of text.matchAll(re)) {
          findings.push({ file: relative(dir, file), line: i + 1, kind, masked: mask(m[0]) });
        }
      }
    });
  }
  return findings;
}

export function formatFindings(findings: LogFinding[], max = 50): string {
  const shown = findings.slice(0, max).map((f) => `  ${f.file}:${f.line}: ${f.kind} ${f.masked}`);
  const more = findings.length > max ? [`  … and ${findings.length - max} more`] : [];
  return [...shown, ...more].join('\n');
}

/** Environment variables that hold a secret (the value is looked for; the name may be logged). */
const SECRET_VARIABLES = [
  'S3_SECRET_KEY',
  'TWILIO_AUTH_TOKEN',
  'SMTP_PASS',
  'SMTP_PASSWORD',
  'SIGN_CODE_SECRET',
  'NOTIFICATION_SIGNING_SECRET',
  'TEST_EID_CLIENT_SECRET',
  'SIGNING_P12_PASSWORD',
  'SIGNING_PKCS11_PIN',
];

/**
 * The needles for this project's logs: every generic pattern, the secrets of the stack's environment (and their dev
 * defaults, used when a variable is unset), the password of any URL credential, the API clients' secrets of the dev
 * identity service, and the test identities' national ids and names.
 */
export function projectNeedles(env: Record<string, string>): Needle[] {
  const clients = JSON.parse(readFileSync(join(ROOT, 'services/identity/test-eid-clients.json'), 'utf8')) as {
    clients: Array<{ secret?: string }>;
  };
  const identities = JSON.parse(readFileSync(join(ROOT, 'services/identity/dev-identities.json'), 'utf8')) as {
    identities: Array<{ nationalId: string; name: string }>;
  };
  const urlPasswords = Object.values(env).flatMap((v) => {
    const url = URL.canParse(v) ? new URL(v) : null;
    return url?.password ? [decodeURIComponent(url.password)] : [];
  });
  return [
    ...GENERIC_NEEDLES,
    ...literalNeedles('configured secret', [
      ...SECRET_VARIABLES.map((name) => env[name]),
      DEV_DEFAULTS.s3.secretKey,
      DEV_DEFAULTS.twilio.authToken,
      DEV_DEFAULTS.signCodeSecret,
      DEV_DEFAULTS.notificationSigningSecret,
    ]),
    ...literalNeedles('credential in a URL', urlPasswords),
    ...literalNeedles(
      'client secret',
      clients.clients.map((c) => c.secret),
    ),
    ...literalNeedles(
      'national id',
      identities.identities.flatMap((i) => [i.nationalId, i.nationalId.replace(/[\s-]/g, '')]),
    ),
    ...literalNeedles(
      'person name',
      identities.identities.map((i) => i.name),
    ),
  ];
}
