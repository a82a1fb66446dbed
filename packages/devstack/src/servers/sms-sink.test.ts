import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmsSink, type SmsSink } from './sms-sink.js';

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'sink-test-token';

describe('SMS sink', () => {
  let sink: SmsSink;
  const post = (form: Record<string, string>, opts: { user?: string; password?: string; sid?: string } = {}) =>
    fetch(`${sink.url}/2010-04-01/Accounts/${opts.sid ?? SID}/Messages.json`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${opts.user ?? SID}:${opts.password ?? TOKEN}`).toString('base64')}`,
      },
      body: new URLSearchParams(form).toString(),
    });

  beforeAll(async () => {
    sink = await startSmsSink({ port: 0, accountSid: SID, authToken: TOKEN });
  });
  afterAll(async () => {
    await sink.stop();
  });
  beforeEach(() => {
    sink.clear();
  });

  it('accepts a message like Twilio (201, queued) and lists it at GET /messages', async () => {
    const res = await post({ To: '+4791234567', From: 'ESign', Body: 'Hei & hå' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ status: 'queued', to: '+4791234567', from: 'ESign', body: 'Hei & hå' });
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(created.account_sid).toBe(SID);
    expect(created.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    const listed = (await (await fetch(`${sink.url}/messages`)).json()) as unknown[];
    expect(listed).toEqual([
      {
        sid: created.sid,
        to: '+4791234567',
        from: 'ESign',
        body: 'Hei & hå',
        receivedAt: expect.any(String),
        authorizedAs: SID,
      },
    ]);
    expect((await fetch(`${sink.url}/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(sink.messages()).toEqual([]);
  });

  it('answers errors in the shape of Twilio errors', async () => {
    const cases: Array<[Response, number, number]> = [
      [await post({ To: '+4791234567', From: 'ESign', Body: 'x' }, { password: 'wrong' }), 401, 20003],
      [await post({ To: '+4791234567', From: 'ESign', Body: 'x' }, { sid: `AC${'2'.repeat(32)}` }), 404, 20404],
      [await post({ To: '004791234567', From: 'ESign', Body: 'x' }), 400, 21211],
      [await post({ To: '+47 912 34 567', From: 'ESign', Body: 'x' }), 400, 21211],
      [await post({ To: '+4791234567', Body: 'x' }), 400, 21603],
      [await post({ To: '+4791234567', From: 'Far-too-long-sender', Body: 'x' }), 400, 21212],
      [await post({ To: '+4791234567', From: 'ESign' }), 400, 21602],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({
        code,
        message: expect.any(String),
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      });
    }
    const unauthenticated = await fetch(`${sink.url}/2010-04-01/Accounts/${SID}/Messages.json`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    expect((await fetch(`${sink.url}/nothing-here`)).status).toBe(404);
    expect(sink.messages()).toEqual([]);
  });
});
