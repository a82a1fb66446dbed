import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { gatewayOperatorUrl } from '../support/clients.js';
import { accessToken, api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';

const stack = inject('stack');

// The Temporal UI of the test stack decodes payloads through the gateway's codec server, for a logged-in operator
// only (docs/operations.md, "Reading payloads"). The UI's own codec settings are the browser's (local storage): the
// endpoint, and "include cross-origin credentials" so the login's cookie goes with each decode request.
describe('Temporal UI with the codec server', () => {
  let browser: Browser;
  let orderId: string;
  const marker = `Contract for Kari ${Date.now().toString(36)}`;

  beforeAll(async () => {
    expect(stack.temporalUi, 'the test stack runs the Temporal UI').toBeTruthy();
    browser = await launchChromium();
    const { order } = await simpleOrder('demo');
    Object.assign(order.tasks[0]!, {
      notifications: [
        { id: 'mail', type: 'EMAIL', recipient: 'kari@example.test', header: marker, message: 'Sign: ${taskUrl}' },
      ],
    });
    const res = await createOrder('demo', order);
    expect(res.status, await res.clone().text()).toBe(201);
    orderId = ((await res.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await browser?.close();
    if (orderId) await api('demo', `/orders/${orderId}`, { method: 'DELETE' });
  });

  async function uiContext(): Promise<BrowserContext> {
    const context = await browser.newContext();
    const endpoint = gatewayOperatorUrl('/codec');
    // Run in the page before its own scripts (the UI reads these at start).
    const settings = { endpoint, overrideRemoteCodecConfiguration: true, includeCredentials: true };
    const content = Object.entries(settings)
      .map(([key, value]) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify(value))});`)
      .join('\n');
    await context.addInitScript({ content });
    return context;
  }

  /** Opens the order's workflow page; answers the status of the UI's first decode request and the page's text. */
  async function openOrder(page: Page): Promise<{ decodeStatus: number; text: () => Promise<string> }> {
    const decoded = page.waitForResponse((r) => r.url().includes('/codec/decode') && r.request().method() === 'POST', {
      timeout: 60_000,
    });
    await page.goto(`${stack.temporalUi}/namespaces/default/workflows/order-${orderId}`);
    const decodeStatus = (await decoded).status();
    return { decodeStatus, text: () => page.locator('body').innerText() };
  }

  it('shows an operator the decoded workflow input after the login', async () => {
    const context = await uiContext();
    try {
      const page = await context.newPage();
      await page.goto(gatewayOperatorUrl('/codec/login'));
      await page.fill('#client_id', 'dev-operator');
      await page.fill('#client_secret', 'dev-operator-secret');
      await page.click('button[type="submit"]');
      await expect.poll(() => page.locator('h1').innerText()).toBe('Signed in');

      const { decodeStatus, text } = await openOrder(page);
      expect(decodeStatus).toBe(200);
      await expect.poll(text, { timeout: 30_000 }).toContain(marker);
    } finally {
      await context.close();
    }
  });

  it('refuses the UI without a login, with a wrong login, and with a merchant token', async () => {
    const context = await uiContext();
    try {
      const page = await context.newPage();
      const anonymous = await openOrder(page);
      expect(anonymous.decodeStatus).toBe(401);
      expect(await anonymous.text()).not.toContain(marker);

      await page.goto(gatewayOperatorUrl('/codec/login'));
      await page.fill('#client_id', 'demo-merchant');
      await page.fill('#client_secret', 'demo-secret');
      await page.click('button[type="submit"]');
      await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('not an operator');

      // A merchant's token where the login's cookie would be.
      const url = new URL(gatewayOperatorUrl('/codec'));
      await context.addCookies([
        { name: 'esign_operator_token', value: await accessToken('demo'), domain: url.hostname, path: '/codec' },
      ]);
      const merchant = await openOrder(page);
      expect(merchant.decodeStatus).toBe(401);
      expect(await merchant.text()).not.toContain(marker);
    } finally {
      await context.close();
    }
  });
});
