import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { documentBytes, events, expectSealed, portalFlows } from '../support/portal-flows.js';
import { placeOrder, taskStatus } from '../support/portal-walk.js';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

// Dead links, the session's safety, and merchant-supplied text that must stay text.
describe('signing portal safety in a browser', () => {
  const { s, signerTask, pdfOrder, inContext, identify, signAndLand } = portalFlows();

  it('answers a deleted order’s link and an unknown sign code with the not-available page (404)', async () => {
    const { id, link } = await pdfOrder();
    const portal = new URL(link).origin;
    await inContext(async (page) => {
      await page.goto(link); // a session on the task is open
      expect(new URL(page.url()).pathname).toBe('/std/task');
      expect((await api('demo', `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);

      const reloaded = await page.goto(`${portal}/std/task`);
      expect(reloaded?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      const again = await page.goto(link);
      expect(again?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      expect(await page.locator('main p').first().textContent()).toBe(
        'This signing link is not valid, or the documents were deleted.',
      );

      const unknown = await page.goto(`${portal}/std/docaction?sign_code=${randomBytes(32).toString('base64url')}`);
      expect(unknown?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      const malformed = await page.goto(`${portal}/std/docaction?sign_code=${encodeURIComponent('../../etc')}`);
      expect(malformed?.status()).toBe(404);
    });
    expect((await api('demo', `/orders/${id}`)).status).toBe(404);
  });
  it('gives each browser its own HttpOnly, SameSite=Lax session, refuses forged CSRF tokens, rotates at login', async () => {
    const { id, link } = await pdfOrder();
    const portal = new URL(link).origin;
    const cookieOf = async (context: BrowserContext) =>
      (await context.cookies(`${portal}/std/task`)).find((c) => c.name === 'esign_portal');
    const csrfOf = (page: Page) => page.locator('meta[name="csrf-token"]').getAttribute('content');
    const a = await s.browser.newContext();
    const b = await s.browser.newContext();
    try {
      const [pa, pb] = await Promise.all([a.newPage(), b.newPage()]);
      await pa.goto(link);
      await pb.goto(link);
      const [before, other] = [await cookieOf(a), await cookieOf(b)];
      expect(before).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/std' });
      expect(other).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(other!.value).not.toBe(before!.value);
      const [csrfA, csrfB] = [await csrfOf(pa), await csrfOf(pb)];
      expect(csrfA).toBeTruthy();
      expect(csrfA).not.toBe(csrfB);
      // the second browser did not end the first one's session
      await pa.reload();
      expect(new URL(pa.url()).pathname).toBe('/std/task');
      expect(await pa.locator('h1').textContent()).toBe('Sign documents');
      // the other browser's token is no good in this session
      const crossed = await pa.request.post(`${portal}/std/reject`, { form: { csrf: csrfB!, reason: 'x' } });
      expect(crossed.status()).toBe(403);

      await identify(pa);
      const after = await cookieOf(a);
      expect(after).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/std' });
      expect(after!.value).not.toBe(before!.value); // no session fixation
      const csrfAfter = await csrfOf(pa);
      expect(csrfAfter).not.toBe(csrfA);
      const stale = await fetch(`${portal}/std/task`, { headers: { cookie: `esign_portal=${before!.value}` } });
      expect(stale.status).toBe(401);

      for (const csrf of ['forged', csrfA!, csrfB!]) {
        const forged = await pa.request.post(`${portal}/std/sign`, { form: { csrf, consent: 'yes' }, maxRedirects: 0 });
        expect(forged.status(), `csrf ${csrf}`).toBe(403);
      }
      const withoutToken = await pa.request.post(`${portal}/std/sign`, { form: { consent: 'yes' }, maxRedirects: 0 });
      expect(withoutToken.status()).toBe(403);
      // a cross-site origin is refused even with the right token
      const crossSite = await pa.request.post(`${portal}/std/sign`, {
        form: { csrf: csrfAfter!, consent: 'yes' },
        headers: { origin: 'https://evil.example' },
        maxRedirects: 0,
      });
      expect(crossSite.status()).toBe(403);

      // the other browser is still anonymous: one signer's login does not leak into another session
      await pb.reload();
      expect(await pb.locator('form[action="/std/login"]').count()).toBe(1);
      expect(await pb.locator('#sign-form').count()).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(await taskStatus(id)).toBe('CREATED');
    expect((await events(id)).map((e) => e.eventType)).not.toContain('DOCUMENT_SIGNED');
  });
  it('shows merchant-supplied text as text, never as markup', async () => {
    const textRef = await uploadOk('demo', `Body ${XSS}`, 'text/plain');
    const { id, links } = await placeOrder(
      [
        signerTask(
          'signer1',
          [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: textRef, description: `Agreement ${XSS}` }],
          { dialog: { title: `Title ${XSS}`, message: `Message ${XSS}` }, signText: `I agree ${XSS}` },
        ),
      ],
      { clientReference: `ref ${XSS}` },
    );
    const portal = new URL(links.signer1!).origin;
    const dialogs: string[] = [];
    await inContext(async (page) => {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const noMarkup = async () => {
        expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
        const html = await page.content();
        expect(html).not.toContain('<script>alert');
        expect(html).not.toContain('<img src="x"');
      };

      await page.goto(links.signer1!);
      expect(await page.locator('main > section').first().locator('h2').textContent()).toBe(`Title ${XSS}`);
      expect(await page.locator('main > section').first().locator('p').textContent()).toBe(`Message ${XSS}`);
      expect(await page.locator('ul.documents strong').textContent()).toBe(`Agreement ${XSS}`);
      await identify(page);
      expect(await page.locator('ul.documents a').textContent()).toBe(`Open Agreement ${XSS}`);
      const raw = await (await page.request.get(`${portal}/std/task`)).text();
      expect(raw).not.toContain(XSS);
      expect(raw).not.toContain('<img src=x');
      expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      await noMarkup();

      await page.locator('ul.documents a').click();
      expect(await page.locator('h1').textContent()).toBe(`Agreement ${XSS}`);
      expect(await page.locator('pre.text-document').textContent()).toBe(`Body ${XSS}`);
      expect(await page.title()).toContain(`Agreement ${XSS}`);
      await noMarkup();

      // Nothing of the address is echoed on the page (errors are the portal's own texts).
      await page.goto(`${portal}/std/task?e=${encodeURIComponent(XSS)}&m=${encodeURIComponent(XSS)}`);
      await noMarkup();

      await page.goto(`${portal}/std/task`);
      expect(await page.locator('p.sign-text').textContent()).toBe(`I agree ${XSS}`);
      await noMarkup();
      await signAndLand(page, id);
    });
    expect(dialogs).toEqual([]);
    await expectSealed((await documentBytes(id, 'signer1', 'doc1')).bytes);
  });
});
