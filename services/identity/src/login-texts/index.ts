// The test eID's words in the contract's 15 languages (the portal sends the task's language as `ui_locales`).
// `en` is the reference: every other catalogue has exactly its keys (login-texts.test.ts). Values are plain text;
// `{name}` placeholders are filled, then the page escapes the result.
import { en, type LoginTexts } from './en.js';
import { nordic } from './nordic.js';
import { others } from './others.js';

export type { LoginTexts } from './en.js';
export type LoginLanguage = keyof typeof LOGIN_TEXTS;

export const LOGIN_TEXTS = { en, ...nordic, ...others } satisfies Record<string, LoginTexts>;

/** The first language of `uiLocales` (space-separated, OIDC Core §3.1.2.1) the test eID has; English otherwise. */
export function loginLanguage(uiLocales: string | undefined): LoginLanguage {
  for (const tag of (uiLocales ?? '').split(/\s+/)) {
    const lang = tag.toLowerCase().split('-')[0]!;
    if (Object.hasOwn(LOGIN_TEXTS, lang)) return lang as LoginLanguage;
    if (lang === 'no') return 'nb';
  }
  return 'en';
}

/** `key` in `language` with each `{name}` replaced by `values.name` (plain text). */
export function loginText(
  language: LoginLanguage,
  key: keyof LoginTexts,
  values: Record<string, string | number> = {},
): string {
  return LOGIN_TEXTS[language][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : m,
  );
}
