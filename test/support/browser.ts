import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (installed by the bootstrap), headless, driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** At the test eID's login page: picks the test identity with this national id. */
export async function loginAtTestEid(page: Page, nationalId: string): Promise<void> {
  await page.locator(`button[name="nationalId"][value="${nationalId}"]`).click();
}
