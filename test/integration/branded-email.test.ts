import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pixelmatch from 'pixelmatch';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { mailTo, uniqueAddress, type InboxMail } from '../support/inbox.js';
import { createOrder, simpleOrder } from '../support/orders.js';

const STORED = new URL('./fixtures/branded-email.png', import.meta.url);
/** Share of pixels that may differ from the stored picture (anti-aliasing); a missing part changes far more. */
const MAX_DIFFERENT = 0.001;

/** A 160×48 logo: a blue bar with a white square, so its place in the picture is unmistakable. */
function logoPng(): Buffer {
  const png = new PNG({ width: 160, height: 48 });
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 160; x++) {
      const i = (y * 160 + x) * 4;
      const white = x >= 12 && x < 36 && y >= 12 && y < 36;
      png.data.set(white ? [255, 255, 255, 255] : [29, 78, 216, 255], i);
    }
  }
  return PNG.sync.write(png);
}

// A branded e-mail end to end (issue 20): notificationTemplateParams on the order, the mail caught by the stack's
// SMTP server (MailDev), its HTML part rendered in Chromium and compared by screenshot with a stored picture that
// shows the logo, the button, the link text and the footer; the plain-text part carries the same words.
describe('branded e-mail notifications', () => {
  let browser: Browser;
  let logo: Server;
  let logoUrl: string;
  beforeAll(async () => {
    const bytes = logoPng();
    logo = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(bytes));
    await new Promise<void>((resolve) => logo.listen(0, '127.0.0.1', resolve));
    logoUrl = `http://127.0.0.1:${(logo.address() as AddressInfo).port}/logo.png`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => logo?.close(resolve));
  });

  it("renders the order's logo, button, link text and footer in the task's language", async () => {
    const recipient = uniqueAddress('branded');
    const { order } = await simpleOrder('demo', {
      notificationTemplateParams: [
        {
          logoUrl,
          footer: 'ACME Bank AS · Storgata 1 · Oslo',
          button: 'Signer avtalen',
          linkText: 'Eller bruk lenken:',
        },
      ],
    });
    Object.assign(order.tasks[0]!, {
      language: 'nb',
      notifications: [
        {
          id: 'mail',
          type: 'EMAIL',
          recipient,
          header: 'Avtale til signering',
          message: 'Hei!\nDu har en avtale å signere.',
        },
      ],
    });
    const res = await createOrder('demo', order);
    expect(res.status, await res.clone().text()).toBe(201);
    const { tasks } = (await res.json()) as { tasks: Array<{ signingUrl: string }> };
    const taskUrl = tasks[0]!.signingUrl;

    let mail: InboxMail | undefined;
    await expect.poll(async () => (mail = (await mailTo(recipient))[0]), { timeout: 30_000 }).toBeTruthy();
    expect(mail!.subject).toBe('Avtale til signering');
    expect(mail!.text).toBe(
      'Hei!\nDu har en avtale å signere.\n\nEller bruk lenken:\n' +
        `${taskUrl}\n\nACME Bank AS · Storgata 1 · Oslo\n\nDette er en automatisk melding; vennligst ikke svar på den.`,
    );

    const context = await browser.newContext({ viewport: { width: 640, height: 480 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.setContent(mail!.html, { waitUntil: 'load' });
      const button = page.getByRole('link', { name: 'Signer avtalen' });
      expect(await button.getAttribute('href')).toBe(taskUrl);
      const logoWidth = await page
        .locator(`img[src="${logoUrl}"]`)
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
      expect(logoWidth).toBe(160);
      // The task's address differs in every run: written out in a fixed form, so the picture compares the layout.
      await page.getByText(taskUrl, { exact: true }).evaluate((a) => {
        a.textContent = 'https://sign.example/std/docaction';
      });
      const shot = await page.screenshot({ fullPage: true });
      // UPDATE_PICTURES=1 stores a new picture (look at it before committing); otherwise the stored one must exist.
      if (process.env.UPDATE_PICTURES === '1') writeFileSync(STORED, shot);
      expect(existsSync(STORED)).toBe(true);
      const [actual, expected] = [PNG.sync.read(shot), PNG.sync.read(readFileSync(STORED))];
      expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
      const diff = pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, { threshold: 0.1 });
      expect(diff / (actual.width * actual.height)).toBeLessThan(MAX_DIFFERENT);
    } finally {
      await context.close();
    }
  });

  it('refuses a logo at a cloud-metadata address at creation, with a violation naming it', async () => {
    const { order } = await simpleOrder('demo', {
      notificationTemplateParams: [{ logoUrl: 'http://169.254.169.254/latest/logo.png' }],
    });
    const res = await createOrder('demo', order);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { violations: Array<{ propertyPath: string }> };
    expect(body.violations.map((v) => v.propertyPath)).toEqual(['notificationTemplateParams[0].logoUrl']);
  });
});
