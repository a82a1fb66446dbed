import { z } from 'zod';
import { LIMITS } from './limits.js';
import { described } from './registry.js';
import { hasControlCharacters, ID_PATTERN, isClientId, isHttpUrl, isRedirectUrl } from './formats.js';

// Building blocks for the models. Every message says what is expected, so a 400 tells the client how to fix it.

/**
 * A client-chosen id (task, document, notification, packaging task): any printable text. It is echoed as sent and
 * appears percent-encoded in URLs; workflow ids and storage keys use a safe form of it (`ids.part`).
 */
export const clientId = () =>
  z.string().refine(isClientId, {
    error: `must be 1 to ${LIMITS.clientIdLength} printable characters (no control characters)`,
  });

/** An id the platform issued (an upload's `documentId`). */
export const platformId = () =>
  z.string().regex(ID_PATTERN, { error: `must be 1 to ${LIMITS.idLength} letters, digits, '_' or '-'` });

/** Single-line text: no control characters. */
export const line = (max: number) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((v) => !hasControlCharacters(v, false), { error: 'must be a single line without control characters' });

/** Free text that may span lines. */
export const text = (max: number) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((v) => !hasControlCharacters(v, true), { error: 'must not contain control characters' });

/** A name such as an identity method (`nbid-sign`) or a signing-interface configuration. */
export const name = () => line(LIMITS.name).min(1, { error: 'must not be empty' });

const URL_ERROR = `must be an absolute http or https URL of at most ${LIMITS.url} characters`;
const urlString = (check: (value: string) => boolean) =>
  z.string().max(LIMITS.url, { error: URL_ERROR }).refine(check, { error: URL_ERROR });

export const httpUrl = (description: string) => described(urlString(isHttpUrl), description, 'uri');

const PLACEHOLDER_NOTE = ' `${requestId}` and `${taskId}` in it are replaced by the order id and the task id.';

export const redirectUrl = (description: string) => described(urlString(isRedirectUrl), description + PLACEHOLDER_NOTE);

/** An integer within [min, max]; one message for every way it can be wrong, so the client sees the range. */
export function intRange(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

/** An array with a maximum (and optionally a minimum) item count. */
export function list<T extends z.ZodType>(item: T, max: number, min = 0) {
  const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  const array = z.array(item).max(max, { error: `must have at most ${items(max)}` });
  return min > 0 ? array.min(min, { error: `must have at least ${items(min)}` }) : array;
}
