import { describe, expect, inject, it } from 'vitest';
import { audit } from '../support/a11y.js';
import { identifyAtTask, loginAtTestEid, readEachDocument } from '../support/browser.js';
import { makePdf, uploadOk } from '../support/documents.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { events, expectSealed, KARI, OLA, portalFlows, documentBytes } from '../support/portal-flows.js';
import { postForm, portalSession } from '../support/portal.js';
import { startReceiver } from '../support/receiver.js';

type Forward = Record<string, string>;

describe('signing portal: a signer forwards the task to another person, who signs it', () => {
  const flows = portalFlows();
  const { signerTask, inContext, s } = flows;

  it('hands the task over: the forwarder’s link and session stop, the new signer is invited, signs, and the API tells', async () => {
    const callbacks = await startReceiver([200]);
    try {
      const [kari, ola] = [uniqueAddress('kari-fwd'), uniqueAddress('ola-fwd')];
      const digits = String(Date.now()).slice(-6);
      const mobile = `+4791${digits}`;
      const documentRef = await uploadOk('demo', await makePdf(1, 256), 'application/pdf');
      const doc = { id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' };
      const task = signerTask('signer1', [doc], {
        // The dev stack's configuration that lets signers forward, the subject no longer applying once forwarded.
        configuration: 'forwarding',
        notifications: [
          { id: 'invite', type: 'EMAIL', recipient: kari, header: 'Please sign', message: 'Sign here: ${taskUrl}' },
          {
            id: 'hook',
            type: 'URL',
            recipient: `${callbacks.url}/forwarded`,
            message: 'forwarded ${orderId}',
            schedule: [{ triggerStatus: 'FORWARDED' }],
          },
        ],
      });
      const res = await createOrder('demo', { clientReference: 'forward', tasks: [task] });
      expect(res.status, await res.clone().text()).toBe(201);
      // FORWARDED takes effect in this configuration: nothing reported as ignored.
      expect(res.headers.get('x-sign-ignored-fields')).toBe(null);
      const { id, tasks } = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
      const kariLink = tasks[0]!.signingUrl;

      // Kari has the task open on another device too.
      const elsewhere = await portalSession(kariLink);
      await inContext(async (page) => {
        await page.goto(kariLink);
        await page.getByRole('link', { name: 'Forward the task' }).click();
        await page.waitForURL(/\/std\/forward$/);
        await audit(page, 'forward form');
        // Nothing filled in: each problem next to its field.
        await page.getByRole('button', { name: 'Forward the task' }).click();
        expect(await page.getByLabel('Your name').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('#recipientEmail-error').textContent()).toBe(
          'Enter their e-mail address or mobile number.',
        );
        await audit(page, 'forward form with problems');
        await page.getByLabel('Your name').fill('Kari Nordmann');
        await page.getByLabel('Your e-mail address (optional)').fill(kari);
        await page.getByLabel('Their name').fill('Ola Nordmann');
        await page.getByLabel('Their e-mail address').fill(ola);
        await page.getByLabel(/Their mobile number/).fill(`+47 91 ${digits.slice(0, 3)} ${digits.slice(3)}`);
        await page.getByRole('button', { name: 'Forward the task' }).click();
        await page.getByRole('heading', { name: 'The task was forwarded' }).waitFor();
        // The session that forwarded is over; the forwarder's other session opens nothing any more, nor does their link.
        expect((await page.goto(`${new URL(kariLink).origin}/std/task`))!.status()).toBe(401);
        const other = await fetch(`${elsewhere.origin}/std/task`, { headers: { cookie: elsewhere.cookie } });
        expect(other.status).toBe(410);
        expect(await other.text()).toContain('This task was forwarded');
        const again = await page.goto(kariLink);
        expect(again!.status()).toBe(410);
        expect(await page.locator('main h1').textContent()).toBe('This task was forwarded');
        await audit(page, 'link of a forwarded task');
      });

      // The new signer's invitation: the portal's text in the task's language, their own link.
      await expect.poll(async () => (await mailTo(ola)).length, { timeout: 20_000 }).toBe(1);
      const [invitation] = await mailTo(ola);
      expect(invitation!.subject).toBe('Documents for you to sign');
      expect(invitation!.text).toContain('Kari Nordmann has forwarded documents to you.');
      const olaLink = /(http:\/\/\S+\/std\/docaction\?\S+)/.exec(invitation!.text)![1]!;
      expect(olaLink).not.toBe(kariLink);
      const status = (await (await api('demo', `/orders/${id}`)).json()) as { tasks: Array<{ signingUrl: string }> };
      expect(status.tasks[0]!.signingUrl).toBe(olaLink);
      // An SMS invitation too (to the number without its spaces), and the merchant's FORWARDED callback, once.
      const sms = async () => {
        const all = (await (await fetch(`${inject('stack').smsSinkUrl}/messages`)).json()) as Array<Forward>;
        return all.filter((m) => m.to === mobile);
      };
      await expect.poll(async () => (await sms()).length, { timeout: 20_000 }).toBe(1);
      expect((await sms())[0]!.body).toBe(
        `Kari Nordmann has forwarded documents to you. Open them with this link: ${olaLink}`,
      );
      await expect.poll(() => callbacks.calls.length, { timeout: 20_000 }).toBe(1);
      expect(callbacks.calls[0]!.url.searchParams.get('message')).toBe(`forwarded ${id}`);

      // Ola signs as himself: the order's subject (Kari) no longer applies in this configuration.
      await inContext(async (page) => {
        await page.goto(olaLink);
        await identifyAtTask(page, OLA);
        await readEachDocument(page);
        expect(await page.getByRole('link', { name: 'Forward the task' }).count()).toBe(1);
        await page.locator('input[name="consent"]').check();
        await page.locator('#sign-form button[type="submit"]').click();
        await page.waitForURL(new RegExp(`^${s.landing.url}/done`));
      });

      const forwards = (await (await api('demo', `/orders/${id}/tasks/signer1/forwards`)).json()) as Forward[];
      expect(forwards).toEqual([
        {
          orderId: id,
          taskId: 'signer1',
          originalTaskId: 'signer1',
          forwarderName: 'Kari Nordmann',
          forwarderEmail: kari,
          recipientName: 'Ola Nordmann',
          recipientEmail: ola,
          recipientMobile: mobile,
        },
      ]);
      const v1 = await events(id);
      expect(v1.filter((e) => e.eventType === 'INTERNAL').map((e) => e.data)).toContain('TASK_FORWARDED');
      const extended = (await (
        await api('demo', `/orders/${id}/tasks/signer1/events?eventTypes=extended`)
      ).json()) as Array<{ eventType: string }>;
      const types = extended.map((e) => e.eventType);
      expect(types.indexOf('TASK_FORWARDED')).toBeLessThan(types.indexOf('DOCUMENT_SIGNED'));
      expect(types.at(-1)).toBe('TASK_COMPLETED');
      expect(JSON.stringify(extended)).not.toContain('Nordmann');
      const { bytes } = await documentBytes(id, 'signer1', 'doc1');
      await expectSealed(bytes);
    } finally {
      await callbacks.stop();
    }
  });

  /** Forwards the task behind `link` to Ola by the portal's form (no browser needed: no log-in before forwarding). */
  async function forwardToOla(link: string, ola: string) {
    const { origin, cookie, csrf } = await portalSession(link);
    return postForm(origin, '/std/forward', cookie, {
      csrf,
      forwarderName: 'Kari Nordmann',
      recipientName: 'Ola Nordmann',
      recipientEmail: ola,
    });
  }

  it('offers no forwarding where the configuration does not allow it, and takes none', async () => {
    const { pdfOrder } = flows;
    const { id, link } = await pdfOrder();
    await inContext(async (page) => {
      await page.goto(link);
      expect(await page.getByRole('link', { name: 'Forward the task' }).count()).toBe(0);
    });
    const res = await forwardToOla(link, uniqueAddress('ola-nofwd'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/std/task');
    expect(await (await api('demo', `/orders/${id}/tasks/signer1/forwards`)).json()).toEqual([]);
  });

  it('keeps the order’s subject for the new signer where the configuration says so', async () => {
    const { pdfOrder } = flows;
    const { link } = await pdfOrder({ configuration: 'forwarding-same-signer' });
    const ola = uniqueAddress('ola-keep');
    const res = await forwardToOla(link, ola);
    expect(res.status).toBe(200);
    await expect.poll(async () => (await mailTo(ola)).length, { timeout: 20_000 }).toBe(1);
    const olaLink = /(http:\/\/\S+\/std\/docaction\?\S+)/.exec((await mailTo(ola))[0]!.text)![1]!;
    await inContext(async (page) => {
      await page.goto(olaLink);
      await page.locator('form[action="/std/login"] button').first().click();
      await loginAtTestEid(page, OLA);
      expect(await page.locator('main h1').textContent()).toBe('Signing was refused');
    });
    await inContext(async (page) => {
      await page.goto(olaLink);
      await identifyAtTask(page, KARI);
      expect(await page.locator('#sign-form').count()).toBe(1);
    });
  });
});
