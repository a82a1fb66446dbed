import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_ANSWER_HEADERS, newTraceId } from './api-answers.js';

/** What each refusal of Node's HTTP parser is answered with; anything else it refuses is a 400. */
const REFUSALS: Record<string, { status: number; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request Header Fields Too Large',
    detail: 'The request line and headers may be at most 16 KiB.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout', detail: 'The request did not arrive in time.' },
};
const MALFORMED = { status: 400, title: 'Bad Request', detail: 'The request is not valid HTTP/1.1.' };

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers over 16 KiB, a malformed request line, raw
 * non-ASCII in the path) are answered like every other refusal — problem+json with a trace id and the security
 * headers — instead of Node's empty default answer, and the connection is closed. Nothing of the request is echoed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already on its way on this connection cannot be followed by another one.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, title, detail } = REFUSALS[err.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({
      type: 'about:blank',
      title,
      status,
      detail,
      traceId: newTraceId(),
    });
    socket.end(
      [
        `HTTP/1.1 ${status} ${title}`,
        'Content-Type: application/problem+json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...Object.entries(API_ANSWER_HEADERS).map(([name, value]) => `${name}: ${value}`),
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
