import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { makePdf, uploadOk } from '../support/documents.js';
import { uniqueAddress } from '../support/inbox.js';
import { attachment, codeFor, inContext, placeOrder, resultOf, tabTo, taskStatus } from '../support/portal-walk.js';

const KARI = '01017012345';

/** Opens a document from the task page and comes back, by keyboard. */
async function readWithKeyboard(page: Page, documentId: string, ready: string) {
  await press(page, `a[href="/std/documents/${documentId}"]`);
  await page.locator(ready).waitFor({ timeout: 30_000 });
  await press(page, 'main a.button[href="/std/task"]');
  await page.waitForURL(/\/std\/task$/);
}

/** A focused element's activation from the keyboard: Enter on links and buttons, Space on checkboxes. */
async function press(page: Page, selector: string, key: 'Enter' | 'Space' = 'Enter') {
  await tabTo(page, selector);
  await page.keyboard.press(key);
}

// Every walk from the signing link to COMPLETED with the keyboard alone (Tab, Enter, Space, typing): no mouse.
describe('the portal with the keyboard only', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signWithKeyboard(page: Page) {
    await press(page, '#consent', 'Space');
    expect(await page.locator('#consent').isChecked()).toBe(true);
    await press(page, '#sign-form button[type="submit"]');
    await page.waitForURL(/\/std\/done$/);
  }

  it('test eID, a document opened and the name typed as the handwritten mark', async () => {
    const pdfRef = await uploadOk('demo', await makePdf(1, 128), 'application/pdf');
    const { id, links } = await placeOrder([
      {
        id: 'signer1',
        language: 'en',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: pdfRef, description: 'Agreement' }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED', handwritten: true }],
        subject: { attributes: [{ name: 'national-id', value: KARI }] },
      },
    ]);
    await inContext(browser, async (page) => {
      await page.goto(links.signer1!);
      await press(page, 'form[action="/std/login"] button');
      await page.locator(`button[name="nationalId"][value="${KARI}"]`).waitFor();
      await press(page, `button[name="nationalId"][value="${KARI}"]`);
      await page.waitForURL(/\/std\/task$/);

      await readWithKeyboard(page, 'doc1', '#viewer[data-rendered]');

      await tabTo(page, '#typed-name');
      await page.keyboard.type('Kari Nordmann');
      expect(await page.locator('#handwritten-kind').inputValue()).toBe('typed');
      expect(await page.locator('#handwritten').inputValue()).toMatch(/^data:image\/png;base64,/);
      await signWithKeyboard(page);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
    const evidence = JSON.parse(await attachment(await resultOf(id, 'signer1', 'doc1'), 'signing-evidence.json'));
    expect(JSON.stringify(evidence)).toContain('"handwritten":"typed"');
  });

  it('an e-mailed one-time code typed in', async () => {
    const to = uniqueAddress('keyboard-otp');
    const ref = await uploadOk('demo', 'Terms signed with a code.', 'text/plain');
    const { id, links } = await placeOrder([
      {
        id: 'signer1',
        language: 'en',
        documents: [{ id: 'd1', action: 'SIGN', source: 'SESSION', documentRef: ref, description: 'Terms' }],
        signatureMethods: [{ name: 'email-otp' }],
        subject: { attributes: [{ name: 'email', value: to }] },
      },
    ]);
    await inContext(browser, async (page) => {
      await page.goto(links.signer1!);
      await press(page, 'form[action="/std/login"] button');
      await page.waitForURL(/\/std\/otp$/);
      await tabTo(page, '#code');
      await page.keyboard.type(await codeFor(to));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/std\/task$/);
      await readWithKeyboard(page, 'd1', 'pre.text-document');
      await signWithKeyboard(page);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });

  it('a document uploaded through the file chooser', async () => {
    const pdfRef = await uploadOk('demo', await makePdf(1, 128), 'application/pdf');
    const { id, links } = await placeOrder([
      {
        id: 'signer1',
        language: 'en',
        documents: [
          { id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: pdfRef, description: 'Agreement' },
          { id: 'passport', action: 'UPLOAD', source: 'UPLOAD', description: 'Passport' },
        ],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        subject: { attributes: [{ name: 'national-id', value: KARI }] },
      },
    ]);
    const upload = await makePdf(1, 64);
    await inContext(browser, async (page) => {
      await page.goto(links.signer1!);
      await press(page, 'form[action="/std/login"] button');
      await page.locator(`button[name="nationalId"][value="${KARI}"]`).waitFor();
      await press(page, `button[name="nationalId"][value="${KARI}"]`);
      await page.waitForURL(/\/std\/task$/);

      // Listening before the Tab presses: the browser intercepts the file chooser only once a listener is there,
      // and a listener added just before the Space could miss it (the fresh-clone run of 886ac0e waited 30 s).
      const chooser = page.waitForEvent('filechooser');
      await tabTo(page, '#upload-passport');
      await page.keyboard.press('Space');
      await (await chooser).setFiles({ name: 'passport.pdf', mimeType: 'application/pdf', buffer: upload });
      await press(page, 'form.upload[data-document="passport"] button[type="submit"]');
      await page.waitForURL(/\/std\/task\?m=uploaded$/);
      expect(await page.locator('form.upload').count()).toBe(0);
      await readWithKeyboard(page, 'doc1', '#viewer[data-rendered]');
      await signWithKeyboard(page);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
    expect((await resultOf(id, 'signer1', 'passport')).equals(upload)).toBe(true);
  });
});
