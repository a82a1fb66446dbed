import { crc32 } from 'node:zlib';
import type { SignForm } from './task-view.js';

/** A drawn signature in base64: at most 200 KiB of PNG, the most the task workflow takes into a seal. */
export const MAX_HANDWRITTEN_BASE64 = Math.ceil((200 * 1024 * 4) / 3);
const PNG_DATA_URL = 'data:image/png;base64,';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Form bodies of Sign: room for the largest mark even with every base64 character percent-encoded (×3). */
export const MAX_SIGN_FORM_BYTES = 3 * (PNG_DATA_URL.length + MAX_HANDWRITTEN_BASE64) + 4096;

/**
 * A drawn signature from the form: a PNG data URL, returned as base64; undefined when absent, larger than a seal
 * takes, or not a well-formed PNG (the sealing would fail on it after the signer waited for its retries).
 */
export function pngOf(dataUrl: string): string | undefined {
  if (!dataUrl.startsWith(PNG_DATA_URL) || dataUrl.length > PNG_DATA_URL.length + MAX_HANDWRITTEN_BASE64) {
    return undefined;
  }
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL.length), 'base64');
  const base64 = bytes.toString('base64');
  return base64.length <= MAX_HANDWRITTEN_BASE64 && isPng(bytes) ? base64 : undefined;
}

/** The PNG signature, then chunks each within the file and matching its CRC, IHDR first and IEND last. */
export function isPng(bytes: Buffer): boolean {
  if (!bytes.subarray(0, 8).equals(PNG_MAGIC)) return false;
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (end > bytes.length || (at === 8 && type !== 'IHDR')) return false;
    if (crc32(bytes.subarray(at + 4, end - 4)) !== bytes.readUInt32BE(end - 4)) return false;
    if (type === 'IEND') return end === bytes.length;
    at = end;
  }
  return false;
}

/**
 * The Sign form's fields: the consent box, and the mark — drawn on the canvas, or rendered from the name the signer
 * typed (both arrive as a PNG; `handwrittenKind` says which, for the evidence).
 */
export function signFormOf(body: Record<string, unknown>): SignForm {
  const mark = typeof body.handwritten === 'string' ? body.handwritten : '';
  const png = mark ? pngOf(mark) : undefined;
  const typedName = typeof body.typedName === 'string' ? body.typedName.trim().slice(0, 200) : '';
  return {
    consent: body.consent === 'yes',
    ...(png ? { png } : {}),
    typed: body.handwrittenKind === 'typed' && typedName.length > 0,
    typedName,
    badImage: mark.length > 0 && !png,
  };
}
