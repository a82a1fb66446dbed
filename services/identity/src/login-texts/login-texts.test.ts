import { LANGUAGES } from '@esign/contracts';
import { describe, expect, it } from 'vitest';
import { parseIdentities } from '../identities.js';
import { renderLoginPage } from '../login-page.js';
import { LOGIN_TEXTS, loginLanguage, loginText, type LoginLanguage } from './index.js';

const identities = parseIdentities({
  identities: [
    {
      nationalId: '01017012345',
      name: 'Kari Nordmann',
      givenName: 'Kari',
      familyName: 'Nordmann',
      birthdate: '1970-01-01',
      country: 'NO',
    },
  ],
}).all;

describe('test eID texts', () => {
  it('has a catalogue for each of the contract’s languages, each with exactly the English keys, none empty', () => {
    expect(Object.keys(LOGIN_TEXTS).sort()).toEqual([...LANGUAGES].sort());
    const keys = Object.keys(LOGIN_TEXTS.en).sort();
    for (const [language, texts] of Object.entries(LOGIN_TEXTS)) {
      expect(Object.keys(texts).sort(), language).toEqual(keys);
      for (const [key, value] of Object.entries(texts)) expect(value.trim(), `${language}.${key}`).not.toBe('');
      // the same placeholders as English in every text
      for (const key of keys) {
        const names = (v: string) => [...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(texts[key as keyof typeof texts]), `${language}.${key}`).toEqual(
          names(LOGIN_TEXTS.en[key as keyof typeof LOGIN_TEXTS.en]),
        );
      }
    }
  });

  it('picks the first known language of ui_locales, English otherwise', () => {
    expect(loginLanguage('nb')).toBe('nb');
    expect(loginLanguage('xx fr-CA en')).toBe('fr');
    expect(loginLanguage('no')).toBe('nb');
    expect(loginLanguage('zz')).toBe('en');
    expect(loginLanguage(undefined)).toBe('en');
    expect(loginLanguage('__proto__ constructor')).toBe('en');
  });

  it.each(LANGUAGES)('renders the login page in %s', (language) => {
    const html = renderLoginPage({
      action: '/x',
      csrf: 'c',
      language: language as LoginLanguage,
      method: 'nbid-sign',
      clientName: 'Portal',
      identities,
      digests: ['a'.repeat(64)],
    });
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(loginText(language as LoginLanguage, 'login').replace(/'/g, '&#39;'));
    expect(html).toContain(loginText(language as LoginLanguage, 'NO'));
  });
});
