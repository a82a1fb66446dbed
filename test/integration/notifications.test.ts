import { storageKeys } from '@esign/storage-keys';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';
import { signDocument, signerAction } from '../support/tasks.js';

const stack = inject('stack');

type WithNotifications = { notifications?: unknown[] };

interface Created {
  id: string;
  tasks: Array<{ id: string; signingUrl: string }>;
}

async function events(orderId: string, taskId = 'signer1') {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/events`);
  return (await res.json()) as Array<{ eventType: string; data?: string }>;
}

/** Waits until `fn` answers something truthy (polling), or fails after `ms`. */
async function until<T>(fn: () => Promise<T>, ms = 20_000): Promise<NonNullable<T>> {
  let last: T | undefined;
  await expect.poll(async () => (last = await fn()), { timeout: ms, interval: 200 }).toBeTruthy();
  return last!;
}

// Notifications end to end on the real stack (contract §5): the gateway plans them into the order's workflow, the
// workflows fire them on their triggers, the notification worker hands them to MailDev (SMTP), the dev Twilio sink
// (the real twilio client) and a local URL receiver. The test stack retries URL callbacks every second.
describe('notifications', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  const receivers: Array<{ stop(): Promise<void> }> = [];
  beforeAll(async () => {
    c = await stackClients();
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.stop();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('e-mails the signer when the task opens, placeholders substituted, HTML escaped, a resolvable sign code', async () => {
    const to = uniqueAddress('signer');
    const { order } = await simpleOrder('demo', { clientReference: '<b>Acme & Co</b>' });
    (order.tasks[0] as WithNotifications).notifications = [
      {
        id: 'invite',
        type: 'EMAIL',
        recipient: to,
        sender: 'Acme Signing <noreply@acme.example>',
        header: 'Please sign for ${clientRef}',
        message: 'Order ${orderId}: sign at ${taskUrl}\nor with code ${signCode} at ${signCodeUrl}',
      },
    ];
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const created = (await res.json()) as Created;

    const [mail] = await until(async () => ((await mailTo(to)).length > 0 ? mailTo(to) : null));
    expect(mail!.subject).toBe('Please sign for <b>Acme & Co</b>');
    expect(mail!.from[0]).toMatchObject({ address: 'noreply@acme.example', name: 'Acme Signing' });
    expect(mail!.text).toContain(`Order ${created.id}: sign at ${created.tasks[0]!.signingUrl}`);
    const code = /with code ([A-Za-z0-9_-]+) at (\S+)/.exec(mail!.text)!;
    expect(code[1]!.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(code[2]).toBe(`${c.config.signingPortalUrl}/std/docaction?sign_code=${code[1]}`);
    expect(await c.orders.resolveSignCode(code[1]!)).toEqual({
      merchantId: 'demo-merchant',
      orderId: created.id,
      taskId: 'signer1',
    });
    // the HTML part shows the merchant's text, never runs it as markup
    expect(mail!.html).not.toContain('<b>Acme');
    expect(mail!.text).not.toContain('${');

    await until(async () => (await events(created.id)).some((e) => e.eventType === 'NOTIFICATION_SENT'));
    expect((await events(created.id)).map((e) => e.eventType)).toEqual(['TASK_CREATED', 'NOTIFICATION_SENT']);
    expect(await mailTo(to)).toHaveLength(1);

    // the order's deletion removes its sign codes
    expect((await api('demo', `/orders/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await c.orders.resolveSignCode(code[1]!)).toBeNull();
  });

  it('sends an SMS through the Twilio Messages API to the dev SMS sink', async () => {
    const { order } = await simpleOrder('demo');
    const phone = `+4790${String(Date.now()).slice(-6)}`;
    (order.tasks[0] as WithNotifications).notifications = [
      { id: 'sms1', type: 'SMS', recipient: phone, sender: 'AcmeSign', message: 'Sign ${orderId}: ${taskUrl}' },
    ];
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const created = (await res.json()) as Created;
    type Sms = { to: string; from: string; body: string };
    const sms = await until(async () => {
      const all = (await (await fetch(`${stack.smsSinkUrl}/messages`)).json()) as Sms[];
      return all.find((m) => m.to === phone);
    });
    expect(sms).toMatchObject({
      to: phone,
      from: 'AcmeSign',
      body: `Sign ${created.id}: ${created.tasks[0]!.signingUrl}`,
    });
    await until(async () => (await events(created.id)).some((e) => e.eventType === 'NOTIFICATION_SENT'));
  });

  it('calls the URL on completion and again at the retry interval until 200, with one delivery id', async () => {
    const receiver = await startReceiver([503, 500, 200]);
    receivers.push(receiver);
    const { order } = await simpleOrder('demo');
    (order.tasks[0] as WithNotifications).notifications = [
      {
        id: 'done',
        type: 'URL',
        recipient: `${receiver.url}/hook?source=esign`,
        message: 'Signed: ${orderId}',
        schedule: [{ triggerStatus: 'COMPLETED' }],
      },
    ];
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as Created;
    expect(receiver.calls).toHaveLength(0); // not on CREATED

    await signDocument(c.temporal, id, 'signer1', 'doc1');
    await until(async () => (await events(id)).some((e) => e.eventType === 'NOTIFICATION_SENT'));
    expect(receiver.calls).toHaveLength(3);
    const [first] = receiver.calls;
    expect(first!.method).toBe('GET');
    expect(Object.fromEntries(first!.url.searchParams)).toEqual({
      source: 'esign',
      requestId: id,
      taskId: 'signer1',
      message: `Signed: ${id}`,
    });
    const deliveryIds = new Set(receiver.calls.map((call) => call.headers['x-sign-delivery-id']));
    expect(deliveryIds.size).toBe(1);
    expect([...deliveryIds][0]).toBeTruthy();
    expect(first!.headers['x-sign-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    // attempts a retry interval (1 s here) apart, and none after the 200
    expect(receiver.calls[1]!.at - receiver.calls[0]!.at).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.calls).toHaveLength(3);
    expect((await events(id)).filter((e) => e.eventType === 'NOTIFICATION_SENT')).toHaveLength(1);
  });

  it('sends the order notifications once every task is completed', async () => {
    const receiver = await startReceiver([200]);
    receivers.push(receiver);
    const { order } = await simpleOrder('demo', {
      notifications: [{ id: 'all-done', type: 'URL', recipient: `${receiver.url}/order`, message: 'all signed' }],
    });
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as Created;
    await signerAction(c.temporal, id, 'signer1', { type: 'STARTED' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.calls).toHaveLength(0);
    await signDocument(c.temporal, id, 'signer1', 'doc1');
    await until(async () => receiver.calls.length === 1);
    expect(Object.fromEntries(receiver.calls[0]!.url.searchParams)).toEqual({ requestId: id, message: 'all signed' });
    await until(async () => (await events(id)).some((e) => e.eventType === 'NOTIFICATION_SENT'));
  });

  it('refuses SSRF targets and malformed recipients at creation, all at once, creating nothing', async () => {
    const { order, documentRef } = await simpleOrder('demo');
    const bad = [
      ['URL', 'http://169.254.169.254/latest/meta-data/'],
      ['URL', 'http://metadata.google.internal/computeMetadata/v1/'],
      ['URL', 'http://10.1.2.3/hook'],
      ['URL', 'http://[fe80::1]/hook'],
      ['URL', 'ftp://example.test/hook'],
      ['SMS', '004791234567'],
      ['SMS', '+47 912 34 567'],
      ['EMAIL', 'not-an-address'],
    ] as const;
    (order.tasks[0] as WithNotifications).notifications = bad.map(([type, recipient], i) => ({
      id: `n${i}`,
      type,
      recipient,
      message: 'hello',
    }));
    const res = await createOrder('demo', order);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { violations: Array<{ propertyPath: string; message: string }> };
    const paths = problem.violations.map((v) => v.propertyPath);
    if (paths.length !== bad.length) console.log(problem.violations);
    for (const i of bad.keys()) expect(paths).toContain(`tasks[0].notifications[${i}].recipient`);
    const refs = c.config.redis.keyPrefix + storageKeys.uploadRefs('demo-merchant', documentRef);
    expect(await c.redis.scard(refs)).toBe(0);

    // loopback is allowed by the dev and test configuration (and refused by default: see url-guard's tests)
    (order.tasks[0] as WithNotifications).notifications = [
      { id: 'local', type: 'URL', recipient: 'http://127.0.0.1:9/hook', schedule: [{ triggerStatus: 'REJECTED' }] },
    ];
    expect((await createOrder('demo', order)).status).toBe(201);
  });
});
