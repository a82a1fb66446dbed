import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validOrder } from '../fuzz/corpus/requests.js';
import { javascriptPdf } from '../fuzz/pdfs.js';
import { launchChromium, loginAtTestEid } from '../support/browser.js';
import { uploadOk } from '../support/documents.js';
import { context, hostileInput, MERCHANT } from '../support/hostile-input.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';

// A PDF the contract accepts, with JavaScript in it: the signing portal shows it without running any of it.
describe('hostile input', () => {
  hostileInput();

  describe('PDFs the contract accepts', () => {
    describe('a PDF with JavaScript', () => {
      let browser: Browser;
      let trap: Awaited<ReturnType<typeof startReceiver>>;
      beforeAll(async () => {
        [browser, trap] = await Promise.all([launchChromium(), startReceiver([200])]);
      });
      afterAll(async () => {
        await browser?.close();
        await trap?.stop();
      });

      it('is accepted, and the signing portal renders it without running any of its script', async () => {
        const pdf = javascriptPdf();
        const documentRef = await uploadOk(MERCHANT, pdf, 'application/pdf');
        const res = await createOrder(MERCHANT, validOrder({ ...context, documentRef }, { language: 'en' }));
        expect(res.status).toBe(201);
        const { id, tasks } = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
        const link = tasks[0]!.signingUrl;

        // The viewer asks pdf.js for no eval, and the page's CSP would refuse it anyway.
        const portal = new URL(link).origin;
        const viewerJs = await (await fetch(`${portal}/static/viewer.js`)).text();
        expect(viewerJs).toContain('isEvalSupported: false');
        expect(viewerJs).not.toMatch(/enableScripting|pdf\.scripting/);

        const context2 = await browser.newContext();
        const page = await context2.newPage();
        const dialogs: string[] = [];
        const requests: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        page.on('request', (r) => requests.push(r.url()));
        try {
          const opened = await page.goto(link);
          const csp = opened?.headers()['content-security-policy'] ?? '';
          expect(csp).toContain("script-src 'self'");
          expect(csp).not.toContain('unsafe-eval');
          // Documents open to an identified signer only.
          await page.locator('form[action="/std/login"] button').first().click();
          await loginAtTestEid(page, '01017012345');
          await page.waitForURL(/\/std\/task$/);
          requests.length = 0; // the identity provider's pages are not the document's doing
          await page.locator('a[href="/std/documents/doc1"]').click();
          const viewer = page.locator('#viewer[data-rendered]');
          await viewer.waitFor({ timeout: 20_000 });
          expect(await viewer.getAttribute('data-rendered')).toBe('1');
          expect(new URL(page.url()).pathname).toBe('/std/documents/doc1');
        } finally {
          await context2.close();
        }
        expect(dialogs).toEqual([]);
        expect(requests.filter((u) => !u.startsWith(portal))).toEqual([]);
        expect(trap.calls).toEqual([]);
        expect((await api(MERCHANT, `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
      });
    });
  });
});
