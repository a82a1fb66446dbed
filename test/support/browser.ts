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

/** Draws a zigzag stroke with the mouse (pointer events) across the element matching `selector`. */
export async function drawOn(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.mouse.move(...at(0.1, 0.7));
  await page.mouse.down();
  for (const [fx, fy] of [
    [0.25, 0.2],
    [0.4, 0.8],
    [0.55, 0.25],
    [0.7, 0.75],
    [0.9, 0.3],
  ] as const) {
    await page.mouse.move(...at(fx, fy), { steps: 8 });
  }
  await page.mouse.up();
}

/** The id of the element that has the focus on the page ('' when none has one). */
export async function focusedId(page: Page): Promise<string> {
  return (await page.evaluate('document.activeElement?.id ?? ""')) as string;
}

/** At the task page, as yet unidentified: identifies with the task's first method at the test eID. */
export async function identifyAtTask(page: Page, nationalId: string): Promise<void> {
  await page.locator('form[action="/std/login"] button').first().click();
  await loginAtTestEid(page, nationalId);
  await page.waitForURL(/\/std\/task$/);
}

/**
 * Opens every document the task page offers (a signer reads each before signing), then comes back to the task;
 * the list says "Read" for each from then on.
 */
export async function readEachDocument(page: Page): Promise<void> {
  const links = page.locator('ul.documents a[href^="/std/documents/"]');
  const hrefs = await Promise.all((await links.all()).map((a) => a.getAttribute('href')));
  const origin = new URL(page.url()).origin;
  for (const href of hrefs) {
    await page.goto(`${origin}${href!}`);
    await page.locator('main h1').waitFor();
  }
  await page.goto(`${origin}/std/task`);
}
