import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '@esign/config';
import { freePort, startSmsSink, type SmsSink } from '@esign/devstack';
import {
  createMailTransport,
  createNotificationActivities,
  createSmsClient,
  DEFAULT_SUBJECT,
  DeliveryLedger,
  merchantCallbackSecret,
  messageIdFor,
  signCallback,
  type NotificationActivityDeps,
} from '@esign/notification';
import { createRedis } from '@esign/service-runtime';
import {
  ERROR_TYPES,
  type CallUrlInput,
  type DeliverNotificationInput,
  type NotificationActivities,
  type NotificationSpec,
  type PlaceholderValues,
} from '@esign/temporal-contracts';
import type { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import '../support/stack-info.js';

// The notification activities called directly (no workflow) against real components: an in-process SMTP server,
// the real twilio client against the dev SMS sink, a local HTTP receiver, and the stack's Redis for the delivery
// states that make e-mail and SMS at most once.

const MERCHANT = 'demo-merchant';
const placeholders: PlaceholderValues = {
  orderId: 'order-123',
  clientRef: '<script>alert("pwned")</script> & Sons',
  taskUrl: 'http://127.0.0.1:8080/std/docaction?request_id=order-123&task_id=signer1',
  signCode: 'CODE42',
  signCodeUrl: 'http://127.0.0.1:8080/std/docaction?sign_code=CODE42',
};

// ---------------------------------------------------------------------------------------------------------------
// SMTP sink

interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

/** An in-process SMTP server keeping every message; recipients reject-550@ and busy-451@ are refused. */
async function startSmtpSink(): Promise<{ port: number; mails: ReceivedMail[]; stop(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = /^(reject-550|busy-451)@/.exec(address.address)?.[1];
      if (!code) return callback();
      const responseCode = code === 'reject-550' ? 550 : 451;
      callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null, 'OK');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Just enough MIME to read what nodemailer writes: headers, and the parts of a multipart/alternative body. */
function parseMail(raw: string) {
  const split = (entity: string) => {
    const at = entity.indexOf('\r\n\r\n');
    const head = entity.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const lines = head
      .split('\r\n')
      .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
    return { lines, body: entity.slice(at + 4) };
  };
  const decode = (body: string, encoding = '7bit') => {
    if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
    if (encoding !== 'quoted-printable') return body;
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  };
  const top = split(raw);
  const header = (name: string) => top.lines.filter(([k]) => k === name.toLowerCase()).map(([, v]) => v!);
  const boundary = /boundary="?([^";]+)"?/.exec(header('content-type')[0] ?? '')?.[1];
  const parts: Record<string, string> = {};
  for (const chunk of boundary ? top.body.split(`--${boundary}`).slice(1, -1) : []) {
    const part = split(chunk.replace(/^\r\n/, ''));
    const get = (name: string) => part.lines.find(([k]) => k === name)?.[1];
    const type = (get('content-type') ?? '').split(';')[0]!.trim();
    parts[type] = decode(part.body.replace(/\r\n$/, ''), get('content-transfer-encoding')).replace(/\r\n/g, '\n');
  }
  return { header, headerNames: top.lines.map(([k]) => k), text: parts['text/plain'], html: parts['text/html'] };
}

// ---------------------------------------------------------------------------------------------------------------
// URL receiver

interface ReceivedCall {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A local HTTP receiver: answers each call with the next planned status (the last one repeats). */
async function startReceiver(): Promise<{
  url: string;
  calls: ReceivedCall[];
  plan(...steps: Array<number | { status: number; delayMs?: number; location?: string }>): void;
  stop(): Promise<void>;
}> {
  const calls: ReceivedCall[] = [];
  let steps: Array<{ status: number; delayMs?: number; location?: string }> = [{ status: 200 }];
  const server: Server = createServer((req, res) => {
    calls.push({ url: req.url ?? '', headers: req.headers });
    const step = steps.length > 1 ? steps.shift()! : steps[0]!;
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(step.status, step.location ? { Location: step.location } : {});
      res.end('x'.repeat(64 * 1024)); // a body the caller need not read
    };
    if (step.delayMs) setTimeout(answer, step.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    plan: (...planned) => {
      steps = planned.map((s) => (typeof s === 'number' ? { status: s } : s));
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------

function deliverInput(notification: Omit<NotificationSpec, 'id'>, extra: Partial<DeliverNotificationInput> = {}) {
  return {
    deliveryId: `delivery-${randomUUID()}`,
    merchantId: MERCHANT,
    notification: { id: 'n1', ...notification },
    about: { requestId: placeholders.orderId, taskId: 'signer1' },
    placeholders,
    ...extra,
  } satisfies DeliverNotificationInput;
}

/** What an activity threw, as a Temporal ApplicationFailure looks (type, retryability, message). */
async function failureOf(
  promise: Promise<unknown>,
): Promise<{ type?: string; nonRetryable?: boolean; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { type?: string; nonRetryable?: boolean; message: string };
  }
  throw new Error('expected the activity to fail');
}

describe('notification activities', () => {
  const keyPrefix = `test-notification-activities-${randomUUID()}:`;
  let config: Config;
  let redis: Redis;
  let ledger: DeliveryLedger;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let smsSink: SmsSink;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const transports: Array<ReturnType<typeof createMailTransport>> = [];
  let activities: NotificationActivities;

  /** Activities over the test's servers; `overrides` replace parts of the deps or the config. */
  function makeActivities(
    overrides: Partial<Omit<NotificationActivityDeps, 'config'>> & {
      config?: { [K in keyof NotificationActivityDeps['config']]?: Partial<Config[K]> };
    } = {},
  ): NotificationActivities {
    const { config: c = {}, ...deps } = overrides;
    const mail = createMailTransport({ ...config.smtp, ...c.smtp });
    transports.push(mail);
    return createNotificationActivities({
      mail,
      sms: createSmsClient({ ...config.twilio, ...c.twilio }),
      redis,
      keyPrefix,
      config: {
        smtp: { ...config.smtp, ...c.smtp },
        twilio: { ...config.twilio, ...c.twilio },
        notifications: { ...config.notifications, ...c.notifications },
      },
      ...deps,
    });
  }

  beforeAll(async () => {
    const stackConfig = loadConfig(inject('stack').env);
    redis = createRedis(stackConfig, () => undefined);
    ledger = new DeliveryLedger({ redis, keyPrefix });
    smtp = await startSmtpSink();
    smsSink = await startSmsSink({
      port: await freePort(),
      accountSid: stackConfig.twilio.accountSid,
      authToken: stackConfig.twilio.authToken,
    });
    receiver = await startReceiver();
    config = {
      ...stackConfig,
      smtp: { ...stackConfig.smtp, host: '127.0.0.1', port: smtp.port },
      twilio: { ...stackConfig.twilio, apiUrl: smsSink.url },
      notifications: { ...stackConfig.notifications, urlTimeoutMs: 500, allowLoopback: true, allowPrivate: false },
    };
    activities = makeActivities();
  });

  afterAll(async () => {
    for (const t of transports) t.close();
    await smtp?.stop();
    await smsSink?.stop();
    await receiver?.stop();
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  describe('sendEmail', () => {
    beforeEach(() => {
      smtp.mails.length = 0;
    });

    it('sends From, To, Subject, a text and an HTML part, placeholders substituted and HTML escaped', async () => {
      const input = deliverInput({
        type: 'EMAIL',
        recipient: 'signer@example.com',
        sender: 'Acme Signing <noreply@acme.example>',
        header: 'Please sign order ${orderId}',
        message: 'Dear customer of ${clientRef},\nsign at ${taskUrl}\nor use code ${signCode} at ${signCodeUrl}',
      });
      const result = await activities.sendEmail(input);
      expect(result).toMatchObject({ outcome: 'SENT', repeated: false });

      expect(smtp.mails).toHaveLength(1);
      const [received] = smtp.mails;
      // The sender is allow-listed for the merchant (the stack's EMAIL_SENDER_ALLOWLIST), so it is the From; the
      // envelope (bounces, SPF) is always the platform's.
      expect(received!.envelopeFrom).toBe('no-reply@esign.localhost');
      expect(received!.envelopeTo).toEqual(['signer@example.com']);
      const mail = parseMail(received!.raw);
      expect(mail.header('from')).toEqual(['Acme Signing <noreply@acme.example>']);
      expect(mail.header('to')).toEqual(['signer@example.com']);
      expect(mail.header('subject')).toEqual(['Please sign order order-123']);
      expect(mail.header('message-id')).toEqual([messageIdFor(input.deliveryId)]);
      expect(messageIdFor(input.deliveryId)).toMatch(/^<[0-9a-f]{64}@esign>$/);

      // the message, then the template's link to the task and its closing notice (English: no template given)
      expect(mail.text).toBe(
        `Dear customer of ${placeholders.clientRef},\nsign at ${placeholders.taskUrl}\n` +
          `or use code CODE42 at ${placeholders.signCodeUrl}\n\n` +
          `If the button does not work, open this link:\n${placeholders.taskUrl}\n\n` +
          'This is an automated message; please do not reply.',
      );
      expect(mail.html).toContain(
        'Dear customer of &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Sons,<br>',
      );
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain(
        '<a href="http://127.0.0.1:8080/std/docaction?request_id=order-123&amp;task_id=signer1">',
      );
      expect(mail.html).toContain(
        'or use code CODE42 at <a href="http://127.0.0.1:8080/std/docaction?sign_code=CODE42">',
      );
    });

    it('sends from the configured address with a default subject, and packaging notifications verbatim', async () => {
      const input = deliverInput(
        { type: 'EMAIL', recipient: 'archive@example.com', message: 'Package for ${orderId} is ready' },
        { placeholders: undefined, about: { requestId: 'order-123', packagingTaskId: 'pkg1' } },
      );
      await activities.sendEmail(input);
      const mail = parseMail(smtp.mails[0]!.raw);
      expect(config.smtp.from).toBe('E-Sign <no-reply@esign.localhost>');
      expect(smtp.mails[0]!.envelopeFrom).toBe('no-reply@esign.localhost');
      expect(mail.header('from')).toEqual(['"E-Sign" <no-reply@esign.localhost>']); // nodemailer quotes the name
      expect(mail.header('subject')).toEqual([DEFAULT_SUBJECT]);
      expect(mail.text).toBe('Package for ${orderId} is ready\n\nThis is an automated message; please do not reply.');
    });

    it('keeps CR/LF in the header or a placeholder value from adding headers or recipients', async () => {
      const input = deliverInput(
        {
          type: 'EMAIL',
          recipient: 'signer@example.com',
          header: 'Sign ${clientRef}\r\nBcc: victim@example.com\nX-Injected: 1',
          message: 'Hello',
        },
        { placeholders: { ...placeholders, clientRef: 'Acme\r\nCc: other@example.com' } },
      );
      await activities.sendEmail(input);
      const [received] = smtp.mails;
      expect(received!.envelopeTo).toEqual(['signer@example.com']);
      const mail = parseMail(received!.raw);
      expect(mail.headerNames).not.toContain('bcc');
      expect(mail.headerNames).not.toContain('cc');
      expect(mail.headerNames).not.toContain('x-injected');
      expect(mail.header('subject')).toEqual(['Sign Acme Cc: other@example.com Bcc: victim@example.com X-Injected: 1']);
    });

    it('sends once per delivery id: a second attempt answers SENT, repeated, without sending', async () => {
      const input = deliverInput({ type: 'EMAIL', recipient: 'once@example.com', message: 'Once' });
      const first = await activities.sendEmail(input);
      const second = await activities.sendEmail(input);
      expect(first).toMatchObject({ outcome: 'SENT', repeated: false });
      expect(second).toEqual({ ...first, repeated: true });
      expect(smtp.mails).toHaveLength(1);
      expect(await ledger.get(MERCHANT, input.deliveryId)).toMatchObject({ state: 'sent' });
      // The state is stored under the delivery key of the hashed id, with the 30-day TTL.
      const ttl = await redis.ttl(ledger.key(MERCHANT, input.deliveryId));
      expect(ttl).toBeGreaterThan(29 * 24 * 3600);
      expect(ledger.key(MERCHANT, input.deliveryId)).not.toContain(input.deliveryId);
    });

    it('answers UNCERTAIN without sending when an earlier attempt died after claiming the delivery', async () => {
      const input = deliverInput({ type: 'EMAIL', recipient: 'dead@example.com', message: 'Maybe' });
      const since = '2024-01-01T10:00:00.000Z';
      await redis.set(
        ledger.key(MERCHANT, input.deliveryId),
        JSON.stringify({ state: 'sending', since, attemptId: 'dead-attempt' }),
        'EX',
        600,
      );
      expect(await activities.sendEmail(input)).toEqual({ outcome: 'UNCERTAIN', since });
      expect(smtp.mails).toHaveLength(0);
    });

    it('fails non-retryably with NotificationRejected on SMTP 550, without the address in the message', async () => {
      const input = deliverInput({ type: 'EMAIL', recipient: 'reject-550@example.com', message: 'No' });
      const failure = await failureOf(activities.sendEmail(input));
      expect(failure).toMatchObject({ type: ERROR_TYPES.NOTIFICATION_REJECTED, nonRetryable: true });
      expect(failure.message).toContain('550');
      expect(failure.message).not.toContain('reject-550@example.com');
      // Nothing was sent, so the claim is released: a later attempt may try again.
      expect(await ledger.get(MERCHANT, input.deliveryId)).toBeNull();
      expect(smtp.mails).toHaveLength(0);
    });

    it('fails retryably on SMTP 4xx and when the server is down, and the retry then sends', async () => {
      const busy = deliverInput({ type: 'EMAIL', recipient: 'busy-451@example.com', message: 'Later' });
      expect(await failureOf(activities.sendEmail(busy))).toMatchObject({ nonRetryable: false });
      expect(await ledger.get(MERCHANT, busy.deliveryId)).toBeNull();

      const down = makeActivities({ config: { smtp: { port: await freePort() } } });
      const input = deliverInput({ type: 'EMAIL', recipient: 'retry@example.com', message: 'Retry me' });
      const failure = await failureOf(down.sendEmail(input));
      expect(failure).toMatchObject({ type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE, nonRetryable: false });
      expect(failure.message).toContain('ECONNREFUSED');
      expect(await ledger.get(MERCHANT, input.deliveryId)).toBeNull();
      expect(await activities.sendEmail(input)).toMatchObject({ outcome: 'SENT', repeated: false });
      expect(smtp.mails).toHaveLength(1);
    });
  });

  describe('sendSms', () => {
    beforeEach(() => {
      smsSink.clear();
    });

    it('sends To, From and Body through the real twilio client, authenticated as the account', async () => {
      const input = deliverInput({
        type: 'SMS',
        recipient: '+4791234567',
        sender: 'AcmeSign',
        message: 'Sign ${orderId}: ${taskUrl}',
      });
      const result = await activities.sendSms(input);
      expect(result).toMatchObject({
        outcome: 'SENT',
        repeated: false,
        providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      });
      const listed = (await (await fetch(`${smsSink.url}/messages`)).json()) as Array<Record<string, string>>;
      expect(listed).toEqual([
        {
          sid: result.outcome === 'SENT' ? result.providerId : '',
          to: '+4791234567',
          from: 'AcmeSign',
          body: `Sign order-123: ${placeholders.taskUrl}`,
          receivedAt: expect.any(String),
          authorizedAs: config.twilio.accountSid,
        },
      ]);
    });

    it('sends from the configured sender, once per delivery id', async () => {
      const input = deliverInput({ type: 'SMS', recipient: '+4798765432', message: 'Code ${signCode}' });
      const first = await activities.sendSms(input);
      expect(await activities.sendSms(input)).toEqual({ ...first, repeated: true });
      expect(smsSink.messages()).toMatchObject([{ from: config.twilio.from, body: 'Code CODE42' }]);
    });

    it('is refused for good with bad credentials or a number that is not E.164', async () => {
      const badAuth = makeActivities({ config: { twilio: { authToken: 'not-the-token' } } });
      const input = deliverInput({ type: 'SMS', recipient: '+4791234567', message: 'x' });
      const failure = await failureOf(badAuth.sendSms(input));
      expect(failure).toMatchObject({ type: ERROR_TYPES.NOTIFICATION_REJECTED, nonRetryable: true });
      expect(failure.message).toContain('HTTP 401');
      expect(await ledger.get(MERCHANT, input.deliveryId)).toBeNull();

      const badNumber = deliverInput({ type: 'SMS', recipient: '004791234567', message: 'x' });
      const rejected = await failureOf(activities.sendSms(badNumber));
      expect(rejected).toMatchObject({ type: ERROR_TYPES.NOTIFICATION_REJECTED, nonRetryable: true });
      expect(rejected.message).toContain('21211');
      expect(rejected.message).not.toContain('004791234567');
      expect(smsSink.messages()).toHaveLength(0);
    });

    it('fails retryably when the Twilio API cannot be reached, and the retry sends', async () => {
      const down = makeActivities({ config: { twilio: { apiUrl: `http://127.0.0.1:${await freePort()}` } } });
      const input = deliverInput({ type: 'SMS', recipient: '+4791234567', message: 'Retry' });
      expect(await failureOf(down.sendSms(input))).toMatchObject({ nonRetryable: false });
      expect(await activities.sendSms(input)).toMatchObject({ outcome: 'SENT', repeated: false });
      expect(smsSink.messages()).toHaveLength(1);
    });
  });

  describe('callUrl', () => {
    beforeEach(() => {
      receiver.calls.length = 0;
      receiver.plan(200);
    });

    function urlInput(recipient: string, extra: Partial<CallUrlInput> = {}): CallUrlInput {
      return {
        ...deliverInput({ type: 'URL', recipient, message: 'Signed: ${orderId} by ${clientRef}' }),
        attempt: 1,
        ...extra,
      };
    }

    it('GETs the URL with the query parameters added and signed headers a receiver can verify', async () => {
      const input = urlInput(`${receiver.url}/hook?source=esign&taskId=theirs`);
      const result = await activities.callUrl(input);
      expect(result).toMatchObject({ outcome: 'DELIVERED', repeated: false });
      expect(receiver.calls).toHaveLength(1);
      const call = receiver.calls[0]!;
      const url = new URL(call.url, receiver.url);
      expect(url.pathname).toBe('/hook');
      expect([...url.searchParams]).toEqual([
        ['source', 'esign'],
        ['taskId', 'theirs'],
        ['requestId', 'order-123'],
        ['taskId', 'signer1'],
        ['message', `Signed: order-123 by ${placeholders.clientRef}`],
      ]);
      expect(call.headers['x-sign-delivery-id']).toBe(input.deliveryId);
      const timestamp = Number(call.headers['x-sign-timestamp']);
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
      const secret = merchantCallbackSecret(config.notifications.signingSecret, MERCHANT);
      expect(call.headers['x-sign-signature']).toBe(signCallback({ secret, timestamp, method: 'GET', url: url.href }));
      // Another merchant's key does not verify it.
      const other = merchantCallbackSecret(config.notifications.signingSecret, 'other-merchant');
      expect(call.headers['x-sign-signature']).not.toBe(
        signCallback({ secret: other, timestamp, method: 'GET', url: url.href }),
      );
    });

    it('answers DELIVERED, repeated, for a delivery already delivered, without calling again', async () => {
      const input = urlInput(`${receiver.url}/once`);
      await activities.callUrl(input);
      expect(await activities.callUrl({ ...input, attempt: 2 })).toMatchObject({
        outcome: 'DELIVERED',
        repeated: true,
      });
      expect(receiver.calls).toHaveLength(1);
    });

    it('is FAILED and retryable on any other status, and DELIVERED once the receiver answers 200', async () => {
      receiver.plan(503, 201, 200);
      const input = urlInput(`${receiver.url}/flaky`);
      expect(await activities.callUrl(input)).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'HTTP 503' });
      expect(await activities.callUrl({ ...input, attempt: 2 })).toMatchObject({ reason: 'HTTP 201', retryable: true });
      expect(await activities.callUrl({ ...input, attempt: 3 })).toMatchObject({
        outcome: 'DELIVERED',
        repeated: false,
      });
      expect(new Set(receiver.calls.map((c) => c.headers['x-sign-delivery-id']))).toEqual(new Set([input.deliveryId]));
    });

    it('does not follow redirects', async () => {
      receiver.plan({ status: 302, location: `${receiver.url}/elsewhere` }, 200);
      const result = await activities.callUrl(urlInput(`${receiver.url}/moved`));
      expect(result).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'HTTP 302' });
      expect(receiver.calls.map((c) => new URL(c.url, receiver.url).pathname)).toEqual(['/moved']);
    });

    it('gives up on a slow receiver after the configured timeout', async () => {
      receiver.plan({ status: 200, delayMs: 3000 });
      const started = Date.now();
      const result = await activities.callUrl(urlInput(`${receiver.url}/slow`));
      expect(result).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'timeout after 0.5 s' });
      expect(Date.now() - started).toBeLessThan(2500);
    });

    it('is FAILED and retryable when nothing listens', async () => {
      const result = await activities.callUrl(urlInput(`http://127.0.0.1:${await freePort()}/cb`));
      expect(result).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'connection refused' });
    });

    it('refuses, not retryable, a host name that resolves to the cloud metadata service at send time', async () => {
      // The name passed the check at order creation; now it resolves to 169.254.169.254 (DNS rebinding).
      const rebinding = makeActivities({
        lookup: () => Promise.resolve([{ address: '169.254.169.254', family: 4 }]),
      });
      const result = await rebinding.callUrl(urlInput('http://hooks.example.test/cb'));
      expect(result).toEqual({
        outcome: 'FAILED',
        at: expect.any(String),
        retryable: false,
        reason: 'target must not point at a link-local or cloud metadata address',
      });
    });

    it('refuses, not retryable, loopback targets when the configuration does not allow them', async () => {
      const strict = makeActivities({ config: { notifications: { allowLoopback: false } } });
      const literal = await strict.callUrl(urlInput(`${receiver.url}/cb`));
      expect(literal).toMatchObject({
        outcome: 'FAILED',
        retryable: false,
        reason: expect.stringContaining('loopback'),
      });
      const byName = makeActivities({
        config: { notifications: { allowLoopback: false } },
        lookup: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
      });
      const port = new URL(receiver.url).port;
      const named = await byName.callUrl(urlInput(`http://receiver.example.test:${port}/cb`));
      expect(named).toMatchObject({ outcome: 'FAILED', retryable: false, reason: expect.stringContaining('loopback') });
      expect(receiver.calls).toHaveLength(0);
    });

    it('calls a host name through the injected resolver when its address is allowed', async () => {
      const resolved = makeActivities({ lookup: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]) });
      const port = new URL(receiver.url).port;
      const result = await resolved.callUrl(urlInput(`http://receiver.example.test:${port}/named`));
      expect(result).toMatchObject({ outcome: 'DELIVERED' });
      expect(receiver.calls[0]!.headers.host).toBe(`receiver.example.test:${port}`);
    });
  });
});
