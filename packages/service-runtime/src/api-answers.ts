import { randomUUID } from 'node:crypto';

/**
 * The headers of every answer that is data, not a page (the gateway's API, and the refusals of Node's HTTP parser):
 * nothing in it to render, frame, sniff, cache or refer from.
 */
export const API_ANSWER_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

/** A trace id: 32 hex digits from the runtime's buffered entropy (randomBytes makes a system call each time). */
export function newTraceId(): string {
  return randomUUID().replaceAll('-', '');
}
