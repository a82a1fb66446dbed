import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CallbackToVerify {
  /** Your callback secret (the operator gives it to you). */
  secret: string;
  /** The absolute URL you were called at, exactly as requested (query included). */
  url: string;
  /** Default `GET`, the method URL notifications use. */
  method?: string;
  /** The `X-Sign-Timestamp` header (Unix seconds). */
  timestamp: string | undefined;
  /** The `X-Sign-Signature` header (`v1=<hex>`). */
  signature: string | undefined;
  /** Oldest accepted timestamp, in seconds before now (default 300): a replayed old callback is refused. */
  toleranceSeconds?: number;
  /** Now, in milliseconds (tests). */
  now?: number;
}

export type CallbackVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a URL notification's `X-Sign-Signature`: `v1=` + hex HMAC-SHA256 with your secret over
 * `<X-Sign-Timestamp>.<METHOD>.<full URL>`, compared in constant time, with a timestamp within the tolerance.
 */
export function verifyCallback(callback: CallbackToVerify): CallbackVerdict {
  const { timestamp, signature } = callback;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (!signature?.startsWith('v1=')) return { ok: false, reason: 'missing or unknown signature version' };
  const age = (callback.now ?? Date.now()) / 1000 - Number(timestamp);
  const tolerance = callback.toleranceSeconds ?? 300;
  if (Math.abs(age) > tolerance) return { ok: false, reason: `timestamp outside ±${tolerance} s` };
  const payload = `${timestamp}.${(callback.method ?? 'GET').toUpperCase()}.${callback.url}`;
  const expected = Buffer.from(createHmac('sha256', callback.secret).update(payload).digest('hex'));
  const given = Buffer.from(signature.slice(3));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}

/** What a URL notification tells, from the query of the URL you were called at. */
export function callbackParams(url: string | URL) {
  const q = new URL(url).searchParams;
  return {
    requestId: q.get('requestId') ?? undefined,
    taskId: q.get('taskId') ?? undefined,
    packagingTaskId: q.get('packagingTaskId') ?? undefined,
    message: q.get('message') ?? undefined,
  };
}
