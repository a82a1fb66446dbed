// The seal's signature dictionary: /Name, /Reason, /ContactInfo, /Location and the app name, set where
// @libpdf/core 0.4.2 cannot (see withSignatureDictionary), and free attachment names for successive seals.
import type { PDF } from '@libpdf/core';
import { PdfDict, PdfName, PdfString, type PdfObject } from '@libpdf/core';
import type { SignerSeal } from './seal.js';

const APP_NAME = 'esign';

export function signatureEntries(seal: SignerSeal): Record<string, PdfObject> {
  const { name, method } = seal.signer;
  const entries: Record<string, PdfObject> = {
    Name: PdfString.fromString(name),
    Reason: PdfString.fromString(seal.reason ?? `Signed by ${name} with ${method}`),
    ContactInfo: PdfString.fromString(method),
    Prop_Build: PdfDict.of({ App: PdfDict.of({ Name: PdfName.of(APP_NAME) }) }),
  };
  if (seal.location !== undefined) entries.Location = PdfString.fromString(seal.location);
  return entries;
}

/**
 * @libpdf/core 0.4.2 writes /M, /Reason, /Location, /ContactInfo but no /Name, and it escapes strings twice
 * (`(` comes out as `\(`). Its signature dictionary is registered with the document's object registry before the
 * placeholder revision is written, so this wraps `register` for the duration of one `sign()` call and sets the
 * entries there, before anything is hashed.
 */
export async function withSignatureDictionary<T>(
  doc: PDF,
  entries: Record<string, PdfObject>,
  sign: () => Promise<T>,
): Promise<T> {
  const registry = doc.context.registry;
  const register = registry.register;
  let seen = 0;
  registry.register = function (obj) {
    if (obj instanceof PdfDict && obj.getName('Type')?.value === 'Sig') {
      seen++;
      for (const key of ['Reason', 'Location', 'ContactInfo']) obj.delete(key);
      for (const [key, value] of Object.entries(entries)) obj.set(key, value);
    }
    return register.call(this, obj);
  };
  try {
    const result = await sign();
    if (seen !== 1) throw new Error(`@libpdf/core registered ${seen} signature dictionaries (expected 1)`);
    return result;
  } finally {
    registry.register = register;
  }
}

/** `name`, or `name-2.ext`, `name-3.ext`, … — the first not yet attached. */
export function freeName(doc: PDF, name: string): string {
  if (!doc.attachments.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}${ext}`;
    if (!doc.attachments.has(candidate)) return candidate;
  }
}
