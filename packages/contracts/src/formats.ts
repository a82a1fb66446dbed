// Format checks as plain functions, shared by the schemas and the cross-field rules. Each one bounds the length
// before any regular expression runs, and every expression is linear, so a hostile string costs nothing.
import { LIMITS } from './limits.js';

/** An id the platform made (an upload's `documentId`): it is part of storage keys as it is. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

// A client-chosen id (task, document, notification, packaging task): any printable Unicode, spaces included. No
// control, format, private-use, unassigned or surrogate code points (\p{C}), and no line or paragraph separators.
const CLIENT_ID = /^[^\p{C}\u2028\u2029]+$/u;
const E164 = /^\+[1-9][0-9]{6,14}$/;
// At least one letter, as SMS carriers (and Twilio) require of an alphanumeric sender id; all digits would be a
// number, which must then be E.164.
const ALPHANUMERIC_SENDER = /^(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const NAMED_ADDRESS = /^([^<>\p{Cc}]{0,100})<([^<>]+)>$/u;
// Placeholders the signing portal substitutes in redirect URLs (contract §5).
const REDIRECT_PLACEHOLDERS = /\$\{(requestId|taskId)\}/g;

export const isId = (value: string): boolean => value.length <= LIMITS.idLength && ID_PATTERN.test(value);

/** 1 to LIMITS.clientIdLength printable characters (code points), as clients such as Signicat's SDK choose them. */
export function isClientId(value: string): boolean {
  if (value.length === 0 || value.length > 2 * LIMITS.clientIdLength) return false;
  return [...value].length <= LIMITS.clientIdLength && CLIENT_ID.test(value);
}

export const isE164 = (value: string): boolean => value.length <= 16 && E164.test(value);

export const isSmsSender = (value: string): boolean => isE164(value) || ALPHANUMERIC_SENDER.test(value);

export function isEmail(value: string): boolean {
  if (value.length > LIMITS.email || !EMAIL.test(value)) return false;
  return value.indexOf('@') <= 64;
}

/** A sender address: `noreply@example.test` or `Example <noreply@example.test>`. */
export function isEmailSender(value: string): boolean {
  if (value.length > LIMITS.shortText) return false;
  const named = NAMED_ADDRESS.exec(value);
  return named ? isEmail(named[2] ?? '') : isEmail(value);
}

/** An absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  if (value.length > LIMITS.url || /\s/.test(value)) return false;
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

/** A redirect URL may carry `${requestId}` and `${taskId}`; it must be an http(s) URL once they are filled in. */
export const isRedirectUrl = (value: string): boolean => isHttpUrl(value.replace(REDIRECT_PLACEHOLDERS, 'x'));

/**
 * True when the text has control characters (other than tab and line breaks when `multiline`). A single line also
 * refuses the Unicode line and paragraph separators (U+2028, U+2029), which some readers treat as line breaks.
 */
export function hasControlCharacters(value: string, multiline: boolean): boolean {
  return multiline ? /[^\P{Cc}\t\n\r]/u.test(value) : /[\p{Cc}\u2028\u2029]/u.test(value);
}

/**
 * True when the string has an unpaired UTF-16 surrogate: JSON lets a client write one (`"\ud800"`), but it is not
 * Unicode text, and storing, mailing or showing it as UTF-8 would silently replace it.
 */
export const hasLoneSurrogate = (value: string): boolean => /\p{Cs}/u.test(value);
