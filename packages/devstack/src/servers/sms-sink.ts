// A stand-in for the Twilio Messages API, so the notification service's real `twilio` client has something to
// talk to in the dev stack and the tests (TWILIO_API_URL points the client here). It runs in the supervisor's own
// process: an HTTP server on 127.0.0.1, nothing to spawn. What it receives is kept in memory for inspection.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the sink accepted. `authorizedAs`: the account SID its Basic credentials named. */
export interface SmsSinkMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  receivedAt: string;
  authorizedAs: string;
}

export interface SmsSink {
  /** Base URL, e.g. http://127.0.0.1:1081: TWILIO_API_URL for the services, `${url}/messages` for the inbox. */
  url: string;
  port: number;
  /** What was received so far, oldest first. */
  messages(): SmsSinkMessage[];
  clear(): void;
  stop(): Promise<void>;
}

const MAX_KEPT = 1000;
const MAX_BODY_BYTES = 64 * 1024;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const E164 = /^\+[1-9][0-9]{1,14}$/;
const SENDER = /^(\+[1-9][0-9]{1,14}|[A-Za-z0-9 ]{1,11})$/;

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** An error in the shape Twilio answers with (the `twilio` client turns it into a RestException). */
function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** The account SID of valid Basic credentials, or undefined. */
function authorizedAccount(req: IncomingMessage, accountSid: string, authToken: string): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return user === accountSid && password === authToken ? user : undefined;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** RFC 2822 in UTC, as Twilio writes `date_created`. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/**
 * Starts the sink on 127.0.0.1:`port` (0 = any free port). It answers
 * - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form fields To, From, Body) like Twilio: 201 with the
 *   message resource; 401 (20003) unless Basic auth is `accountSid:authToken`; 404 (20404) for another account's
 *   path; 400 for a To that is not E.164 (21211), a missing or invalid From (21603/21212), a missing Body (21602);
 * - `GET /messages`: the messages received, oldest first; `DELETE /messages`: forgets them.
 */
export async function startSmsSink(opts: { port: number; accountSid: string; authToken: string }): Promise<SmsSink> {
  let received: SmsSinkMessage[] = [];

  async function createMessage(req: IncomingMessage, res: ServerResponse, pathSid: string): Promise<void> {
    const account = authorizedAccount(req, opts.accountSid, opts.authToken);
    if (!account) return twilioError(res, 401, 20003, 'Authenticate');
    if (pathSid !== account) return twilioError(res, 404, 20404, 'The requested resource was not found');
    const form = await readForm(req);
    if (!form) return twilioError(res, 413, 21617, 'The concatenated message body exceeds the 1600 character limit');
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const body = form.get('Body') ?? '';
    if (!E164.test(to)) return twilioError(res, 400, 21211, "Invalid 'To' Phone Number");
    if (!from) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!SENDER.test(from)) return twilioError(res, 400, 21212, "Invalid 'From' Number");
    if (!body) return twilioError(res, 400, 21602, 'Message body is required.');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date();
    received.push({ sid, to, from, body, receivedAt: now.toISOString(), authorizedAs: account });
    if (received.length > MAX_KEPT) received = received.slice(-MAX_KEPT);
    const date = rfc2822(now);
    send(res, 201, {
      sid,
      account_sid: account,
      api_version: '2010-04-01',
      status: 'queued',
      direction: 'outbound-api',
      to,
      from,
      body,
      num_segments: '1',
      num_media: '0',
      date_created: date,
      date_updated: date,
      date_sent: null,
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      uri: `/2010-04-01/Accounts/${account}/Messages/${sid}.json`,
    });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sink').pathname;
    const messagesPath = MESSAGES_PATH.exec(path);
    const handle = async () => {
      if (messagesPath && req.method === 'POST') return createMessage(req, res, messagesPath[1]!);
      if (path === '/messages' && req.method === 'GET') return send(res, 200, received);
      if (path === '/messages' && req.method === 'DELETE') {
        received = [];
        return send(res, 204);
      }
      twilioError(res, 404, 20404, 'The requested resource was not found');
    };
    handle().catch(() => {
      if (!res.headersSent) twilioError(res, 500, 20500, 'Internal Server Error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    messages: () => [...received],
    clear: () => {
      received = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
