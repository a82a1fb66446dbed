import type { SigningConfiguration } from '@esign/config';
import { escapeHtml } from '@esign/service-runtime';
import { t, type Language } from './i18n/index.js';
import type { MessageKey } from './i18n/en.js';

/** A translated message, escaped; values are escaped too. */
export function msg(language: Language, key: MessageKey, values?: Record<string, string>): string {
  return escapeHtml(t(language, key, values));
}

export interface PageOptions {
  language: Language;
  title: string;
  branding: SigningConfiguration;
  /** CSP nonce for the page's inline style block. */
  nonce: string;
  body: string;
  scripts?: string[];
}

/** The page frame: header with the merchant's branding, main landmark, no inline script, no external resource. */
export function page(o: PageOptions): string {
  const b = o.branding;
  const logo = b.logoUrl ? `<img class="logo" src="${escapeHtml(b.logoUrl)}" alt="">` : '';
  const scripts = (o.scripts ?? []).map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('');
  return `<!doctype html>
<html lang="${o.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(o.title)} – ${escapeHtml(b.displayName)}</title>
<link rel="stylesheet" href="/static/portal.css">
<style nonce="${o.nonce}">:root{--primary:${b.primaryColor};--background:${b.backgroundColor}}</style>
${scripts}
</head>
<body>
<a class="skip" href="#main">${msg(o.language, 'skipToContent')}</a>
<header class="brand">${logo}<span class="brand-name">${escapeHtml(b.displayName)}</span></header>
<main id="main">
${o.body}
</main>
<footer><small>${msg(o.language, 'poweredBy')}</small></footer>
</body>
</html>`;
}

/** A page that only says something (done, expired, not available, …). */
export function messagePage(
  o: Omit<PageOptions, 'body' | 'title'>,
  title: MessageKey,
  body: MessageKey,
  extra = '',
): string {
  const heading = t(o.language, title);
  return page({ ...o, title: heading, body: `<h1>${escapeHtml(heading)}</h1><p>${msg(o.language, body)}</p>${extra}` });
}

export const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
