import { readFile } from 'node:fs/promises';
import { readSignatureDictionaries } from '@esign/pdf-signing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, loginAtTestEid, readEachDocument } from '../support/browser.js';
import { makePdf, uploadOk } from '../support/documents.js';
import { uniqueAddress } from '../support/inbox.js';
import { codeFor, inContext, placeOrder, taskStatus } from '../support/portal-walk.js';
import { expectLongTermSealed } from '../support/signing.js';

const stack = inject('stack');
const KARI = '01017012345';
const OLA = '02028012345';

/** One signer in English with one PDF to sign; `extra` goes into the task. */
async function pdfTask(extra: Record<string, unknown> = {}) {
  const pdf = await makePdf(1, 128);
  const documentRef = await uploadOk('demo', pdf, 'application/pdf');
  const { id, links } = await placeOrder([
    {
      id: 'signer1',
      language: 'en',
      documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      subject: { attributes: [{ name: 'national-id', value: KARI }] },
      ...extra,
    },
  ]);
  return { id, link: links.signer1!, pdf };
}

async function startLogin(page: Page) {
  await page.locator('form[action="/std/login"] button').first().click();
}

async function sign(page: Page) {
  if (await page.locator('ul.documents .state:not(.done)').count()) await readEachDocument(page);
  await page.locator('#consent').check();
  await page.locator('#sign-form button[type="submit"]').click();
  await page.waitForURL(/\/std\/done$/);
}

/** From a page that stopped the signer: its link back to the task, the right identity, and Sign. */
async function backIdentifyAndSign(page: Page) {
  await page.locator('main a[href="/std/task"]').click();
  await page.waitForURL(/\/std\/task$/);
  await startLogin(page);
  await loginAtTestEid(page, KARI);
  await page.waitForURL(/\/std\/task$/);
  await sign(page);
}

// Every page that stops a signer leads somewhere: no dead end between the link and the signed copy.
describe('the portal has no dead ends', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a refused identity: identify again with the right one, and sign', async () => {
    const { id, link } = await pdfTask();
    await inContext(browser, async (page) => {
      await page.goto(link);
      await startLogin(page);
      await loginAtTestEid(page, OLA); // not the subject of the order
      await page.locator('#message-title').waitFor();
      expect(await page.locator('h1').textContent()).toBe('Signing was refused');
      await backIdentifyAndSign(page);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });

  it('a cancelled log-in at the identity provider: back at the task, and identify after all', async () => {
    const { id, link } = await pdfTask();
    await inContext(browser, async (page) => {
      await page.goto(link);
      await startLogin(page);
      await page.locator('button[name="action"][value="cancel"]').click();
      await page.waitForURL(/\/std\/task$/);
      await startLogin(page);
      await loginAtTestEid(page, KARI);
      await page.waitForURL(/\/std\/task$/);
      await sign(page);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });

  it('one-time code attempts used up: a new code after the wait, then the right code signs', async () => {
    const to = uniqueAddress('dead-end-otp');
    const { id, link } = await pdfTask({
      signatureMethods: [{ name: 'email-otp' }],
      subject: { attributes: [{ name: 'email', value: to }] },
    });
    await inContext(browser, async (page) => {
      await page.goto(link);
      await startLogin(page);
      await page.waitForURL(/\/std\/otp$/);
      const first = await codeFor(to);
      const wrong = first === '000000' ? '111111' : '000000';
      for (let attempt = 0; attempt < 5; attempt++) {
        await page.locator('#code').fill(wrong);
        await page.locator('form[action="/std/otp"] button').click();
        await page.locator('#otp-error').waitFor();
      }
      // Used up: the page offers a new code (no code field any more); asked too early it says how long to wait.
      expect(await page.locator('#code').count()).toBe(0);
      const resend = page.locator('form[action="/std/otp/resend"] button');
      await expect
        .poll(
          async () => {
            await resend.click();
            await page.waitForLoadState();
            return page.locator('#code').count();
          },
          { timeout: 60_000, interval: 5_000 },
        )
        .toBe(1);
      await page.locator('#code').fill(await codeFor(to, [first]));
      await page.locator('form[action="/std/otp"] button').click();
      await page.waitForURL(/\/std\/task$/);
      await sign(page);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });

  it('a sign error keeps the consent; fixed, it signs, and the done page hands out the signed PDF', async () => {
    const { id, link, pdf } = await pdfTask({
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED', handwritten: true }],
    });
    await inContext(browser, async (page) => {
      await page.goto(link);
      await startLogin(page);
      await loginAtTestEid(page, KARI);
      await page.waitForURL(/\/std\/task$/);
      await readEachDocument(page);
      await page.locator('#consent').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.locator('#signature-error').waitFor();
      expect(await page.locator('#consent').isChecked()).toBe(true);
      await page.locator('#typed-name').fill('Kari Nordmann');
      await page.locator('#sign-form button[type="submit"]').click();
      await page.waitForURL(/\/std\/done$/);

      const download = page.waitForEvent('download');
      await page.locator('a[href="/std/done/documents/doc1"]').click();
      const signed = await readFile((await (await download).path())!);
      expect(signed.subarray(0, pdf.length).equals(pdf)).toBe(true); // the original, then the signature's update
      expect(await readSignatureDictionaries(signed)).toHaveLength(1);
      await expectLongTermSealed(signed, stack, { pyhanko: false });
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });
});
