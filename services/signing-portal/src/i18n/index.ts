// The signing portal's languages. `en` is the reference; every other catalogue has exactly its keys (see i18n.test.ts).
import { LANGUAGES } from '@esign/contracts';
import { ca } from './ca.js';
import { da } from './da.js';
import { de } from './de.js';
import type { MessageKey, Messages } from './en.js';
import { en } from './en.js';
import { es } from './es.js';
import { et } from './et.js';
import { fi } from './fi.js';
import { fo } from './fo.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { kl } from './kl.js';
import { nb } from './nb.js';
import { nl } from './nl.js';
import { nn } from './nn.js';
import { sv } from './sv.js';

export type { MessageKey, Messages } from './en.js';

// The contract's languages (contract §6), one catalogue each.
export { LANGUAGES };
export type Language = (typeof LANGUAGES)[number];

export const catalogues: Record<Language, Messages> = { ca, da, nl, en, et, fo, fi, fr, de, kl, it, nb, nn, es, sv };

const DEFAULT_LANGUAGE: Language = 'en';
const PLACEHOLDER = /\{(\w+)\}/g;

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The message `key` in `language` (English for an unknown or missing language), with each `{name}` replaced by
 * `values.name`. Placeholders without a value are left as they are. The result is plain text: callers escape it.
 */
export function t(language: string | undefined, key: MessageKey, values?: Record<string, string>): string {
  const catalogue =
    language !== undefined && isLanguage(language) ? catalogues[language] : catalogues[DEFAULT_LANGUAGE];
  const template = catalogue[key];
  if (values === undefined) return template;
  // One pass over the template, so a value that itself contains `{...}` is never substituted again.
  return template.replace(PLACEHOLDER, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? (values[name] ?? placeholder) : placeholder,
  );
}

/**
 * The language to render: `requested` (e.g. from `?lang=`) if supported, else the most preferred supported primary
 * tag of the Accept-Language header (`nb-NO` → `nb`; entries with `q=0` are refused), else English.
 */
export function pickLanguage(requested: string | undefined, acceptLanguage?: string): Language {
  const wanted = requested?.trim().toLowerCase();
  if (wanted !== undefined && isLanguage(wanted)) return wanted;
  if (acceptLanguage === undefined) return DEFAULT_LANGUAGE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.split(';').map((piece) => piece.trim());
      const q = params.find((param) => /^q=/i.test(param));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return {
        primary: range.split('-')[0]?.toLowerCase() ?? '',
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      };
    })
    .filter((entry) => entry.quality > 0)
    // Highest quality first; equal qualities keep the header's order.
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { primary } of ranges) {
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}
