import { loadSigningConfigurations } from '@esign/config';
import { LANGUAGES } from '@esign/contracts';
import { catalogues, type Language, type MessageKey } from '@esign/signing-portal/i18n';
import { renderHtml, type Frame } from '@esign/signing-portal/views';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, PHONE, screenshots } from '../support/a11y.js';
import { launchChromium, loginAtTestEid } from '../support/browser.js';
import { makePdf, uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';

const KARI = '01017012345';

/** Every room of the portal, in every language, at 360×740 in Chromium: WCAG 2.2 AA by axe-core, and phone-sized. */
describe('portal accessibility', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function onPhone<T>(language: Language, fn: (page: Page) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ viewport: PHONE, locale: language });
    try {
      return await fn(await context.newPage());
    } finally {
      await context.close();
    }
  }

  /** One signer in `language` with a PDF to sign and a text to read. */
  async function orderIn(language: Language) {
    const [pdfRef, textRef] = await Promise.all([
      uploadOk('demo', await makePdf(2, 256), 'application/pdf'),
      uploadOk('demo', 'Terms\n1. Be nice.', 'text/plain'),
    ]);
    const res = await createOrder('demo', {
      clientReference: 'portal-a11y',
      tasks: [
        {
          id: 'signer1',
          language,
          documents: [
            { id: 'contract', action: 'SIGN', source: 'SESSION', documentRef: pdfRef, description: 'Contract' },
            { id: 'terms', action: 'VIEW', source: 'SESSION', documentRef: textRef, description: 'Terms' },
          ],
          signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
          subject: { attributes: [{ name: 'national-id', value: KARI }] },
        },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
    return { id: body.id, link: body.tasks[0]!.signingUrl };
  }

  /** The page's language and main heading are those of `language` (the heading is `key`, when given). */
  async function expectIn(page: Page, language: Language, key?: MessageKey) {
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    if (key) expect((await page.locator('h1').textContent())?.trim()).toBe(catalogues[language][key]);
  }

  async function check(page: Page, language: Language, label: string, key?: MessageKey) {
    await expectIn(page, language, key);
    await audit(page, `${label} (${language})`);
    if (language === 'en') await screenshots(page, label);
  }

  describe.each(LANGUAGES)('in %s', (language) => {
    it('a signer’s whole walk: task, identified task, PDF, text, a sign error, done, then the order deleted', async () => {
      const { id, link } = await orderIn(language);
      await onPhone(language, async (page) => {
        await page.goto(link);
        await page.waitForURL(/\/std\/task$/);
        await check(page, language, 'task-anonymous', 'pageTitle');

        await page.locator('form[action="/std/login"] button').first().click();
        // The test eID (dev only) follows the task's language, sent as ui_locales.
        await page.locator(`button[name="nationalId"][value="${KARI}"]`).waitFor();
        await check(page, language, 'test-eid-login');
        await loginAtTestEid(page, KARI);
        await page.waitForURL(/\/std\/task$/);
        await check(page, language, 'task-identified', 'pageTitle');

        // Signing before opening the documents: the page again (400) with the error by the documents.
        await page.locator('input[name="consent"]').check();
        const refused = page.waitForResponse((r) => r.url().endsWith('/std/sign'));
        await page.locator('#sign-form button[type="submit"]').click();
        expect((await refused).status()).toBe(400);
        await page.locator('#documents-error').waitFor();
        await check(page, language, 'task-sign-error', 'pageTitle');

        await page.locator('a[href="/std/documents/contract"]').click();
        await page.locator('#viewer[data-rendered]').waitFor({ timeout: 30_000 });
        await check(page, language, 'document-pdf');

        await page.goto(new URL('/std/documents/terms', page.url()).href);
        await page.locator('pre.text-document').waitFor();
        await check(page, language, 'document-text');

        await page.goto(new URL('/std/task', page.url()).href);
        await page.locator('input[name="consent"]').check();
        await page.locator('#sign-form button[type="submit"]').click();
        await page.waitForURL(/\/std\/done$/);
        await check(page, language, 'done', 'completedTitle');

        const deleted = await api('demo', `/orders/${id}`, { method: 'DELETE' });
        expect(deleted.status).toBeLessThan(300);
        const gone = await page.goto(new URL('/std/task', page.url()).href);
        expect(gone?.status()).toBe(404);
        await check(page, language, 'deleted', 'deletedTitle');
      });
    });

    it('a link without its sign code, and a page opened without a session', async () => {
      await onPhone(language, async (page) => {
        const { link } = await orderIn(language);
        const incomplete = new URL(link);
        incomplete.search = '';
        const res = await page.goto(incomplete.href);
        expect(res?.status()).toBe(404);
        await check(page, language, 'link-incomplete', 'linkIncompleteTitle');

        const expired = await page.goto(new URL('/std/task', link).href);
        expect(expired?.status()).toBe(401);
        await check(page, language, 'session-expired', 'sessionExpiredTitle');
      });
    });

    // States a walk reaches only with time or a second party (expired, not yet open, too many tries, …): the same
    // templates, rendered by the portal's own view code and served from the portal's origin with its stylesheet.
    it('every other state page', async () => {
      const { link } = await orderIn(language);
      const origin = new URL(link).origin;
      const frame: Frame = { language, branding: loadSigningConfigurations().get('default')!, nonce: 'n' };
      const back = { kind: 'link', href: '/std/task', label: 'tryAnotherIdentity' } as const;
      const message = (title: MessageKey, body: MessageKey, next: unknown[] = []) => ({ title, body, next });
      const states: Array<[string, string, object, MessageKey]> = [
        ['expired', 'message', message('expiredTitle', 'expiredBody'), 'expiredTitle'],
        ['not-open', 'message', message('notOpenTitle', 'notOpenBody'), 'notOpenTitle'],
        ['rejected', 'message', message('rejectedTitle', 'rejectedBody'), 'rejectedTitle'],
        ['refused', 'message', message('refusedTitle', 'refusedBody', [back]), 'refusedTitle'],
        ['otp-locked', 'message', message('otpLockedTitle', 'otpLockedBody', [back]), 'otpLockedTitle'],
        ['too-many', 'message', message('tooManyTitle', 'tooManyBody', [back]), 'tooManyTitle'],
        ['error', 'message', message('errorTitle', 'errorBody', [back]), 'errorTitle'],
        ['otp', 'otp', { csrf: 'c', recipient: 'k•••@example.com', state: 'fresh' }, 'otpHeading'],
        ['otp-wrong', 'otp', { csrf: 'c', recipient: 'k•••@example.com', state: 'wrong' }, 'otpHeading'],
        [
          'otp-exhausted',
          'otp',
          { csrf: 'c', recipient: 'k•••@example.com', state: 'exhausted', wait: '30' },
          'otpHeading',
        ],
      ];
      await onPhone(language, async (page) => {
        for (const [name, view, data, heading] of states) {
          const path = `/a11y-preview/${name}`;
          const html = renderHtml(view, frame, data);
          await page.route(`${origin}${path}`, (route) =>
            route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
          );
          await page.goto(`${origin}${path}`);
          await check(page, language, name, heading);
        }
      });
    });
  });
});
