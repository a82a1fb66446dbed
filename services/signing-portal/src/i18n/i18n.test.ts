import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import type { MessageKey } from './en.js';
import { LANGUAGES, catalogues, pickLanguage, t } from './index.js';

const englishKeys = Object.keys(en).sort();
const others = LANGUAGES.filter((language) => language !== 'en');

function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

describe('catalogues', () => {
  it('has one catalogue per language', () => {
    expect(Object.keys(catalogues).sort()).toEqual([...LANGUAGES].sort());
    expect(catalogues.en).toBe(en);
  });

  it.each(LANGUAGES)('%s has exactly the English keys and no empty message', (language) => {
    const catalogue = catalogues[language];
    expect(Object.keys(catalogue).sort()).toEqual(englishKeys);
    for (const [key, message] of Object.entries(catalogue)) {
      expect(typeof message, `${language}.${key}`).toBe('string');
      expect(message.trim(), `${language}.${key}`).not.toBe('');
    }
  });

  it.each(LANGUAGES)('%s keeps the placeholders of every English message', (language) => {
    for (const key of englishKeys as MessageKey[]) {
      expect(placeholders(catalogues[language][key]), `${language}.${key}`).toEqual(placeholders(en[key]));
    }
  });

  it.each(others)('%s is actually translated', (language) => {
    const identical = (englishKeys as MessageKey[]).filter((key) => catalogues[language][key] === en[key]);
    expect(identical.length, `${language} identical to English: ${identical.join(', ')}`).toBeLessThan(6);
    expect(catalogues[language].languageName).not.toBe(en.languageName);
  });
});

describe('t', () => {
  it('looks up the message in the given language', () => {
    expect(t('nb', 'languageName')).toBe('Norsk bokmål');
    expect(t('de', 'signButton')).toBe(catalogues.de.signButton);
  });

  it('falls back to English for an unknown or missing language', () => {
    expect(t(undefined, 'signButton')).toBe('Sign');
    expect(t('xx', 'signButton')).toBe('Sign');
    expect(t('', 'pageTitle')).toBe('Sign documents');
  });

  it('substitutes placeholders', () => {
    expect(t('en', 'pageOf', { page: '2', pages: '5' })).toBe('Page 2 of 5');
    expect(t('en', 'signedInAs', { name: 'Kari Nordmann', method: 'BankID' })).toBe(
      'Identified as Kari Nordmann with BankID.',
    );
    expect(t('nn', 'openDocument', { name: 'Avtale.pdf' })).toBe('Opna Avtale.pdf');
    expect(t('xx', 'documentFrame', { name: 'A' })).toBe('Document A');
  });

  it('leaves unknown placeholders and missing values as they are', () => {
    expect(t('en', 'pageOf', { page: '2' })).toBe('Page 2 of {pages}');
    expect(t('en', 'openDocument')).toBe('Open {name}');
    expect(t('en', 'openDocument', {})).toBe('Open {name}');
    expect(t('en', 'openDocument', { other: 'x' })).toBe('Open {name}');
  });

  it('does not escape and does not substitute inside substituted values', () => {
    expect(t('en', 'openDocument', { name: '<b>&</b>' })).toBe('Open <b>&</b>');
    expect(t('en', 'pageOf', { page: '{pages}', pages: '3' })).toBe('Page {pages} of 3');
    expect(t('en', 'openDocument', { name: '$& $1' })).toBe('Open $& $1');
  });

  it('ignores inherited properties of the values object', () => {
    expect(t('en', 'openDocument', Object.create({ name: 'inherited' }) as Record<string, string>)).toBe('Open {name}');
  });
});

describe('pickLanguage', () => {
  it('uses the requested language when it is supported', () => {
    expect(pickLanguage('da')).toBe('da');
    expect(pickLanguage('kl', 'fr')).toBe('kl');
    expect(pickLanguage(' FO ', 'fr')).toBe('fo');
  });

  it('falls back to the Accept-Language header when the request names no supported language', () => {
    expect(pickLanguage(undefined, 'sv')).toBe('sv');
    expect(pickLanguage('xx', 'nn-NO,nb;q=0.9')).toBe('nn');
    expect(pickLanguage('', 'ja, fr-CA;q=0.8, de;q=0.7')).toBe('fr');
    expect(pickLanguage(undefined, 'ET-ee')).toBe('et');
  });

  it('follows the quality values and skips refused and unsupported languages', () => {
    expect(pickLanguage(undefined, 'de;q=0.5, it;q=0.9')).toBe('it');
    expect(pickLanguage(undefined, 'fi;q=0, es;q=0.2')).toBe('es');
    expect(pickLanguage(undefined, 'zh-CN, *;q=0.1, ca;q=0.1')).toBe('ca');
  });

  it('falls back to English', () => {
    expect(pickLanguage(undefined)).toBe('en');
    expect(pickLanguage(undefined, '')).toBe('en');
    expect(pickLanguage('xx', 'ja, zh;q=0.9, *;q=0.5')).toBe('en');
    expect(pickLanguage(undefined, 'garbage;;,,')).toBe('en');
  });
});
