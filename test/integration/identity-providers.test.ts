import { describe, expect, inject, it } from 'vitest';
import { launchChromium, loginAtTestEid } from '../support/browser.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { portalSession, postForm } from '../support/portal.js';

const stack = inject('stack');

/** A one-signer order of the demo merchant with these task fields; its signing link. */
async function orderWith(task: Record<string, unknown>) {
  const { order } = await simpleOrder('demo');
  Object.assign(order.tasks[0] as Record<string, unknown>, task);
  const res = await createOrder('demo', order);
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
  return { id: body.id, link: body.tasks[0]!.signingUrl };
}

/** The visible text of an HTML page (tags and attributes dropped). */
const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

// Identity methods by configuration (IDENTITY_PROVIDERS): the dev stack configures its test eID and the one-time
// codes there like any operator would; the portal shows their display names, and each login goes to its provider
// with the entry's parameters and the task's language.
describe('identity providers by configuration', () => {
  it('shows the configured display names and icons, never the internal method names', async () => {
    const { link } = await orderWith({
      language: 'nb',
      signatureMethods: [{ name: 'nbid-sign' }, { name: 'sms-otp' }],
      notifications: [{ id: 'n', type: 'SMS', recipient: '+4791234567', message: 'Sign: ${taskUrl}' }],
    });
    const { origin, cookie } = await portalSession(link);
    const html = await (await fetch(`${origin}/std/task`, { headers: { cookie } })).text();
    const text = textOf(html);
    expect(text).toContain('Test eID as BankID (Norway), signing');
    expect(text).toContain('Kode på SMS'); // the entry's nb display name
    expect(text).not.toMatch(/nbid-sign|sms-otp/);
    expect(html).toContain(
      '<button type="submit" name="method" value="nbid-sign"><img class="method-icon" src="data:image/svg+xml;base64,',
    );
  });

  it('sends the signer to the method’s provider with its parameters and the task’s language as ui_locales', async () => {
    const { link } = await orderWith({ language: 'sv', signatureMethods: [{ name: 'sbid' }] });
    const { origin, cookie, csrf } = await portalSession(link);
    const res = await postForm(origin, '/std/login', cookie, { csrf, method: 'sbid' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`http://127.0.0.1:${stack.env.GATEWAY_PORT}/auth/open/connect/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: 'esign-portal',
      acr_values: 'sbid',
      scope: 'openid profile',
      ui_locales: 'sv',
      code_challenge_method: 'S256',
      redirect_uri: `http://127.0.0.1:${stack.env.PORTAL_PORT}/std/callback`,
    });
  });

  it('refuses an order naming an unknown method, or a type its provider does not serve, naming the method', async () => {
    const { order } = await simpleOrder('demo');
    Object.assign(order.tasks[0] as Record<string, unknown>, {
      signatureMethods: [
        { name: 'bankid-nowhere', type: 'AUTHENTICATION_BASED' },
        { name: 'email-otp', type: 'SIGNED_STATEMENT' },
      ],
    });
    const res = await createOrder('demo', order);
    expect(res.status).toBe(400);
    const { violations } = (await res.json()) as { violations: Array<{ propertyPath: string; message: string }> };
    expect(violations).toEqual(
      expect.arrayContaining([
        { propertyPath: 'tasks[0].signatureMethods[0].name', message: expect.stringContaining('"bankid-nowhere"') },
        { propertyPath: 'tasks[0].signatureMethods[1].type', message: expect.stringContaining('"email-otp"') },
      ]),
    );
  });

  it('opens a task that only shows documents and names no authentication without a log-in, and completes it', async () => {
    const { documentRef } = await simpleOrder('demo');
    const { id, link } = await orderWith({
      documents: [{ id: 'info', action: 'VIEW', source: 'SESSION', documentRef, description: 'Information' }],
    });
    const { origin, cookie, csrf } = await portalSession(link);
    const page = await (await fetch(`${origin}/std/task`, { headers: { cookie } })).text();
    expect(page).not.toContain('action="/std/login"');
    expect(page).toContain('href="/std/documents/info"');
    expect((await fetch(`${origin}/std/documents/info`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    const done = await postForm(origin, '/std/sign', cookie, { csrf, consent: 'yes' });
    expect(done.status).toBe(303);
    const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as { taskStatus: string };
    expect(status.taskStatus).toBe('COMPLETED');
    const events = (await (await api('demo', `/orders/${id}/tasks/signer1/events`)).json()) as Array<{
      eventType: string;
    }>;
    expect(events.map((e) => e.eventType)).toContain('DOCUMENT_VIEWED');
    expect(events.map((e) => e.eventType)).not.toContain('USER_AUTHENTICATED');
  });

  it('still asks a task with a document to sign to log in before showing it', async () => {
    const { link } = await orderWith({});
    const { origin, cookie } = await portalSession(link);
    const page = await (await fetch(`${origin}/std/task`, { headers: { cookie } })).text();
    expect(page).toContain('action="/std/login"');
    expect(page).not.toContain('href="/std/documents/doc1"');
    const opened = await fetch(`${origin}/std/documents/doc1`, { headers: { cookie }, redirect: 'manual' });
    expect([opened.status, opened.headers.get('location')]).toEqual([303, '/std/task']);
  });

  it('refuses an identity whose token lacks a claim the subject is checked against, naming the claim', async () => {
    const browser = await launchChromium();
    try {
      const { id, link } = await orderWith({
        subject: {
          attributes: [
            { name: 'national-id', value: '01017012345' },
            { name: 'passport-number', value: 'X1234567' },
          ],
        },
      });
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(link);
      await page.locator('form[action="/std/login"] button[value="nbid-sign"]').click();
      await loginAtTestEid(page, '01017012345');
      await page.waitForURL(/\/std\/callback/);
      expect(await page.locator('h1').textContent()).toBeTruthy();
      expect(await page.locator('a[href="/std/task"]').count()).toBe(1); // a way back: the task stays open
      await context.close();
      const events = (await (await api('demo', `/orders/${id}/tasks/signer1/events`)).json()) as Array<{
        eventType: string;
        data?: string;
      }>;
      const refused = events.find((e) => e.eventType === 'ERROR');
      expect(refused?.data).toContain('passport-number (the identity carries no claim passport_number)');
      expect(refused?.data).not.toContain('X1234567'); // names the claim, never the value
      expect(events.map((e) => e.eventType)).not.toContain('USER_AUTHENTICATED');
      const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as { taskStatus: string };
      expect(status.taskStatus).toBe('CREATED');
    } finally {
      await browser.close();
    }
  });
});
