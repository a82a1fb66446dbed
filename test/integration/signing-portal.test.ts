import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readSignatureDictionaries } from '@esign/pdf-signing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loginAtTestEid, launchChromium } from '../support/browser.js';
import { stackClients } from '../support/clients.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';
import { expectLongTermSealed } from '../support/signing.js';

const stack = inject('stack');
const execFileAsync = promisify(execFile);

/** An attachment of a PDF, as text (poppler's pdfdetach). */
async function attachment(pdf: Buffer, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-evidence-'));
  try {
    await writeFile(join(dir, 'document.pdf'), pdf);
    await execFileAsync('pdfdetach', ['-savefile', name, '-o', join(dir, name), join(dir, 'document.pdf')]);
    return await readFile(join(dir, name), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const KARI = '01017012345';
const OLA = '02028012345';

type Task = Record<string, unknown>;

async function events(orderId: string, taskId = 'signer1') {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/events`);
  return ((await res.json()) as Array<{ eventType: string; data?: string }>).map((e) => e.eventType);
}

/** The dev signing CA, as the document-storage worker created it on its first start. */
// The signer's side end to end in Debian's Chromium (contract §6-7): the link from the e-mail, the test eID login,
// signing, the redirect back to the merchant, and a sealed result that pdfsig and pyHanko accept.
describe('signing portal in a browser', () => {
  let browser: Browser;
  let c: Awaited<ReturnType<typeof stackClients>>;
  let landing: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [browser, c, landing] = await Promise.all([launchChromium(), stackClients(), startReceiver([200])]);
  });
  afterAll(async () => {
    await browser?.close();
    await landing?.stop();
    await c?.close();
  });

  async function orderFor(language: string, extra: Task = {}) {
    const to = uniqueAddress(`signer-${language}`);
    const { order } = await simpleOrder('demo');
    Object.assign(order.tasks[0] as Task, {
      language,
      onTaskComplete: `${landing.url}/done?requestId=\${requestId}&taskId=\${taskId}`,
      onTaskReject: `${landing.url}/rejected?requestId=\${requestId}`,
      subject: { attributes: [{ name: 'national-id', value: KARI }] },
      notifications: [{ id: 'invite', type: 'EMAIL', recipient: to, header: 'Sign', message: 'Open ${taskUrl}' }],
      ...extra,
    });
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await expect.poll(async () => (await mailTo(to)).length, { timeout: 20_000 }).toBe(1);
    const [mail] = await mailTo(to);
    const link = /Open (\S+)/.exec(mail!.text)![1]!;
    return { id, link, to };
  }

  for (const [language, signButton] of [
    ['en', 'Sign'],
    ['nb', null],
    ['de', null],
  ] as const) {
    it(`signs the README example from the e-mail link, in ${language}`, async () => {
      const { id, link } = await orderFor(language);
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(link);
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
        expect(new URL(page.url()).pathname).toBe('/std/task'); // the code left the address bar
        // no document opens before the signer is identified: identify with the test eID, then open it
        expect(await page.locator('ul.documents a').count()).toBe(0);
        await page.locator('form[action="/std/login"] button').first().click();
        await loginAtTestEid(page, KARI);
        await page.waitForURL(/\/std\/task$/);
        await page.locator('ul.documents a').first().click();
        await page.locator('main a[href="/std/task"]').first().click();
        await page.locator('input[name="consent"]').check();
        const sign = page.locator('#sign-form button[type="submit"]');
        if (signButton) expect(await sign.textContent()).toBe(signButton);
        await sign.click();
        await page.waitForURL(new RegExp(`^${landing.url}/done`));
        const landed = new URL(page.url());
        expect(Object.fromEntries(landed.searchParams)).toEqual({ requestId: id, taskId: 'signer1' });
      } finally {
        await context.close();
      }

      const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as {
        taskStatus: string;
        documents: Array<{ resultUri?: string }>;
      };
      expect(status.taskStatus).toBe('COMPLETED');
      expect(await events(id)).toEqual(
        expect.arrayContaining([
          'TASK_CREATED',
          'NOTIFICATION_SENT',
          'TASK_STARTED',
          'USER_AUTHENTICATED',
          'DOCUMENT_SIGNED',
          'TASK_COMPLETED',
        ]),
      );
      const result = await api('demo', `/orders/${id}/tasks/signer1/documents/doc1/result`);
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await result.arrayBuffer());
      // Sealed with the key in the stack's SoftHSM2 token, at B-LTA on its test PKI.
      await expectLongTermSealed(pdf, stack);
    });
  }

  it('signs with an e-mail one-time code, refusing a wrong one first', async () => {
    const { id, link, to } = await orderFor('en', { signatureMethods: [{ name: 'email-otp' }], subject: undefined });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(link);
      await page.locator('form[action="/std/login"] button[value="email-otp"]').click();
      await page.waitForURL(/\/std\/otp$/);
      let codeMail: Awaited<ReturnType<typeof mailTo>>[number] | undefined;
      await expect
        .poll(async () => (codeMail = (await mailTo(to)).find((m) => m.subject === 'Your signing code')), {
          timeout: 15_000,
        })
        .toBeTruthy();
      const code = /(\d{6}) is your code/.exec(codeMail!.text)![1]!;
      await page.locator('input[name="code"]').fill(code === '000000' ? '111111' : '000000');
      await page.locator('form[action="/std/otp"] button').click();
      expect(await page.locator('#otp-error').textContent()).toBe('The code is wrong or has expired.');
      await page.locator('input[name="code"]').fill(code);
      await page.locator('form[action="/std/otp"] button').click();
      await page.waitForURL(/\/std\/task$/);
      await page.locator('ul.documents a').first().click();
      await page.locator('main a[href="/std/task"]').first().click();
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.waitForURL(new RegExp(`^${landing.url}/done`));
    } finally {
      await context.close();
    }
    const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as { taskStatus: string };
    expect(status.taskStatus).toBe('COMPLETED');
    expect(await events(id)).toContain('USER_AUTHENTICATED');
    // The evidence is unmasked: the signature's /Name and /Reason and the embedded evidence name the address that
    // received the code, in full.
    const pdf = Buffer.from(
      await (await api('demo', `/orders/${id}/tasks/signer1/documents/doc1/result`)).arrayBuffer(),
    );
    const [signature] = await readSignatureDictionaries(pdf);
    expect(signature).toMatchObject({ name: to, reason: `Signed by ${to} with email-otp` });
    const evidence = JSON.parse(await attachment(pdf, 'signing-evidence.json')) as { signer: Record<string, unknown> };
    expect(evidence.signer).toMatchObject({ signerName: to, method: 'email-otp', claims: { email: to, amr: 'otp' } });
  });

  it('sends an SMS one-time code through the notification worker to the dev SMS sink', async () => {
    const phone = `+4791${String(Date.now()).slice(-6)}`;
    const { link } = await orderFor('nb', {
      signatureMethods: [{ name: 'sms-otp' }],
      subject: { attributes: [{ name: 'mobile', value: phone }] },
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(link);
      await page.locator('form[action="/std/login"] button[value="sms-otp"]').click();
      await page.waitForURL(/\/std\/otp$/);
      type Sms = { to: string; body: string };
      await expect
        .poll(async () =>
          ((await (await fetch(`${stack.smsSinkUrl}/messages`)).json()) as Sms[]).some((m) => m.to === phone),
        )
        .toBe(true);
      const all = (await (await fetch(`${stack.smsSinkUrl}/messages`)).json()) as Sms[];
      const code = /(\d{6}) er koden din/.exec(all.find((m) => m.to === phone)!.body)![1]!;
      await page.locator('input[name="code"]').fill(code);
      await page.locator('form[action="/std/otp"] button').click();
      await page.waitForURL(/\/std\/task$/);
      // The method's display name (in nb, as the dev stack configures it), never its internal name.
      const notice = await page.locator('p.notice').textContent();
      expect(notice).toContain('Kode på SMS');
      expect(notice).not.toContain('sms-otp');
    } finally {
      await context.close();
    }
  });

  it('refuses a signer whose identity does not match the subject, with a clear page and an event', async () => {
    const { id, link } = await orderFor('en');
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(link);
      await page.locator('form[action="/std/login"] button').first().click();
      await loginAtTestEid(page, OLA);
      await page.waitForURL(/\/std\/callback/);
      expect(await page.locator('h1').textContent()).toBe('Signing was refused');
    } finally {
      await context.close();
    }
    expect(await events(id)).toContain('ERROR');
    const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as { taskStatus: string };
    expect(status.taskStatus).toBe('CREATED');
  });

  it('rejects with a reason and lands on onTaskReject', async () => {
    const { id, link } = await orderFor('en');
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(link);
      expect(await page.locator('textarea[name="reason"]').count()).toBe(0); // only an identified signer rejects
      await page.locator('form[action="/std/login"] button').first().click();
      await loginAtTestEid(page, KARI);
      await page.waitForURL(/\/std\/task$/);
      await page.locator('textarea[name="reason"]').fill('Wrong amount');
      await page.locator('form[action="/std/reject"] button').click();
      await page.waitForURL(new RegExp(`^${landing.url}/rejected`));
    } finally {
      await context.close();
    }
    const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as { taskStatus: string };
    expect(status.taskStatus).toBe('REJECTED');
  });

  it('shows a clear page for an expired task (410) in the task language', async () => {
    const { id, link } = await orderFor('nb');
    // daysToLive is at least a day: the expiry itself is tested on the time-skipping server; here the page for it.
    await c.orders.setTaskStatus('demo-merchant', id, 'signer1', 'EXPIRED', new Date().toISOString());
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('lang="nb"');
    expect(html).toMatch(/<h1[^>]*>Lenken har utløpt<\/h1>/);
    expect(html).not.toContain('/std/login');
  });

  it('serves security headers and refuses a form without its CSRF token', async () => {
    const { link } = await orderFor('en');
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const portal = new URL(link).origin;
    const taskPage = await fetch(`${portal}/std/task`, { headers: { cookie } });
    expect(taskPage.headers.get('x-frame-options')).toBe('DENY');
    expect(taskPage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(taskPage.headers.get('referrer-policy')).toBe('same-origin');
    const forged = await fetch(`${portal}/std/reject`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=forged',
    });
    expect(forged.status).toBe(403);
  });
});
