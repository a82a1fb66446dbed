import { createHash } from 'node:crypto';
import { escapeHtml } from '@esign/service-runtime';
import type { TestIdentity } from './identities.js';
import { loginText, type LoginLanguage, type LoginTexts } from './login-texts/index.js';

// The test eID's pages: plain server-rendered HTML with inline CSS, no script and nothing loaded from elsewhere, so
// they work without JavaScript and under a CSP that allows only this one stylesheet.

const COUNTRIES = new Set(['NO', 'SE', 'DK', 'FI']);

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b57d0; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: #f6f8fa; }
main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.tag { display: inline-block; margin: 0 0 1rem; padding: .1rem .5rem; border-radius: 4px; background: #fff4ce;
  border: 1px solid #e3c35a; font-size: .875rem; }
.muted { color: var(--muted); }
fieldset { border: 0; margin: 1.5rem 0 0; padding: 0; }
legend { font-weight: 600; font-size: 1.1rem; padding: 0; margin-bottom: .5rem; }
ul.people { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
button { font: inherit; cursor: pointer; border-radius: 6px; min-height: 44px; min-width: 44px; }
input[type="text"] { min-height: 44px; }
ul.people button { width: 100%; text-align: left; padding: .6rem .8rem; background: #fff; color: var(--ink);
  border: 1px solid var(--line); }
ul.people button:hover { border-color: var(--accent); }
.person-name { display: block; font-weight: 600; }
.person-details { display: block; color: var(--muted); font-size: .875rem; }
label { display: block; font-weight: 600; margin: 1.5rem 0 .25rem; }
input[type="text"] { font: inherit; width: 100%; padding: .5rem .6rem; border: 1px solid #8c959f; border-radius: 6px; }
input[aria-invalid="true"] { border-color: var(--bad); }
.primary { margin-top: .75rem; padding: .5rem 1.25rem; background: var(--accent); color: #fff;
  border: 1px solid var(--accent); }
.secondary { margin-top: 1.5rem; padding: .4rem 1rem; background: #fff; color: var(--ink);
  border: 1px solid var(--line); }
.error { margin: 1rem 0 0; padding: .6rem .8rem; border-left: 4px solid var(--bad); background: #fdecea;
  color: var(--bad); }
code { font-size: .8rem; word-break: break-all; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/**
 * Response headers for every test eID page: no caching, no framing (clickjacking), nothing but the inline stylesheet
 * may load. `formOrigins` are the origins a form on the page may end up at: its own, and the client's redirect URI,
 * which the submission redirects to.
 */
export function pageHeaders(formOrigins: readonly string[] = []): Record<string, string> {
  const csp = [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    `form-action 'self'${formOrigins.map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

function document(title: string, body: string, language: LoginLanguage = 'en'): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface LoginPage {
  /** Where the forms post: the interaction's own path. */
  action: string;
  /** The per-interaction CSRF token every form carries. */
  csrf: string;
  /** The page's language: the first of the request's `ui_locales` the test eID has, else English. */
  language: LoginLanguage;
  /** The identity method requested (`acr_values`), e.g. `nbid-sign`. */
  method: string;
  /** Who asks: the client's name. */
  clientName: string;
  identities: readonly TestIdentity[];
  /** The documents the ID token will bind the signer to, when the request carries them. */
  digests?: readonly string[];
  /** Shown above the form, e.g. for an unknown national id. */
  error?: string;
  /** The national id typed before, kept in the field after an error. */
  typed?: string;
}

const hidden = (csrf: string) => `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;

function person(i: TestIdentity, language: LoginLanguage): string {
  const country = COUNTRIES.has(i.country) ? loginText(language, i.country as keyof LoginTexts) : i.country;
  const born = loginText(language, 'born', { date: i.birthdate });
  return `<li><button type="submit" name="nationalId" value="${escapeHtml(i.nationalId)}">
<span class="person-name">${escapeHtml(i.name)}</span>
<span class="person-details">${escapeHtml(country)} · ${escapeHtml(i.nationalId)} · ${escapeHtml(born)}</span>
</button></li>`;
}

function statement(digests: readonly string[], language: LoginLanguage): string {
  const count =
    digests.length === 1 ? loginText(language, 'oneDocument') : loginText(language, 'documents', { n: digests.length });
  return `<section aria-labelledby="statement-heading">
<h2 id="statement-heading">${escapeHtml(loginText(language, 'statementHeading'))}</h2>
<p>${escapeHtml(loginText(language, 'statementIntro', { count }))}</p>
<ul class="digests">
${digests.map((d) => `<li><code>${escapeHtml(d)}</code></li>`).join('\n')}
</ul>
</section>`;
}

/**
 * The login page. Every control is a plain form submission:
 * - one `button[name=nationalId]` per test identity, its value the national id;
 * - `input#national-id[name=nationalId]` with `button[name=action][value=login]` to type a national id;
 * - `button[name=action][value=cancel]` to abort (the client gets `access_denied`).
 */
export function renderLoginPage(p: LoginPage): string {
  const action = escapeHtml(p.action);
  const error = p.error ? `<p class="error" id="login-error" role="alert">${escapeHtml(p.error)}</p>` : '';
  const invalid = p.error
    ? ' aria-invalid="true" aria-describedby="login-error national-id-hint"'
    : ' aria-describedby="national-id-hint"';
  const t = (key: keyof LoginTexts, values?: Record<string, string | number>) =>
    escapeHtml(loginText(p.language, key, values));
  const heading = loginText(p.language, 'heading', { method: p.method });
  const body = `<p class="tag">${t('tag')}</p>
<h1>${escapeHtml(heading)} <span class="muted">${t('suffix')}</span></h1>
<p>${t('intro', { client: p.clientName })}</p>
${p.digests?.length ? statement(p.digests, p.language) : ''}
${error}
<form method="post" action="${action}">
${hidden(p.csrf)}
<fieldset>
<legend>${t('identitiesLegend')}</legend>
<ul class="people">
${p.identities.map((i) => person(i, p.language)).join('\n')}
</ul>
</fieldset>
</form>
<form method="post" action="${action}">
${hidden(p.csrf)}
<label for="national-id">${t('nationalIdLabel')}</label>
<input type="text" id="national-id" name="nationalId" value="${escapeHtml(p.typed ?? '')}" autocomplete="off" spellcheck="false"${invalid}>
<p class="muted" id="national-id-hint">${t('nationalIdHint')}</p>
<button type="submit" class="primary" name="action" value="login">${t('login')}</button>
</form>
<form method="post" action="${action}">
${hidden(p.csrf)}
<button type="submit" class="secondary" name="action" value="cancel">${t('cancel')}</button>
</form>`;
  return document(`${heading} ${loginText(p.language, 'suffix')}`, body, p.language);
}

/** A page for what cannot be answered with a redirect to the client: an expired login, a bad request. */
export function renderErrorPage(title: string, message: string): string {
  return document(
    title,
    `<p class="tag">Test eID</p>
<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(message)}</p>`,
  );
}
