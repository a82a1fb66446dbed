// A signer's walk through the portal in Chromium: orders made for it, fresh browser contexts, the keyboard, and what
// the signed result carries.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { mailTo } from './inbox.js';
import { api } from './merchants.js';
import { createOrder } from './orders.js';

type Json = Record<string, unknown>;
const execFileAsync = promisify(execFile);

/** Places a demo order of `tasks`; the signing link of each task by its id. */
export async function placeOrder(tasks: Json[], extra: Json = {}) {
  const res = await createOrder('demo', { clientReference: 'portal-walk', tasks, ...extra });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { id: string; tasks: Array<{ id: string; signingUrl: string }> };
  return { id: body.id, links: Object.fromEntries(body.tasks.map((t) => [t.id, t.signingUrl])) };
}

/** Runs `fn` on a page of a fresh browser context (its own cookies), closed afterwards. */
export async function inContext<T>(browser: Browser, fn: (page: Page) => Promise<T>, locale = 'en'): Promise<T> {
  const context = await browser.newContext({ locale, acceptDownloads: true });
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Presses Tab until the focused element matches `selector` (fails after `max` presses: it is not reachable). */
export async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`${selector} is not reachable with Tab in ${max} presses on ${page.url()}`);
}

/** The newest one-time code mailed to `to` (waits for it to arrive); `after` skips codes already seen. */
export async function codeFor(to: string, after: string[] = []): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        code = /(\d{6}) is your code/.exec((await mailTo(to)).at(-1)?.text ?? '')?.[1];
        return code !== undefined && !after.includes(code);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return code!;
}

export async function taskStatus(orderId: string, taskId = 'signer1'): Promise<string> {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/status`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { taskStatus: string }).taskStatus;
}

/** A task document's signed result, failing unless 200. */
export async function resultOf(orderId: string, taskId: string, documentId: string): Promise<Buffer> {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/documents/${documentId}/result`);
  expect(res.status, `result of ${taskId}/${documentId}`).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The file `name` attached to a PDF (poppler's pdfdetach), as text. */
export async function attachment(pdf: Buffer, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-walk-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    await execFileAsync('pdfdetach', ['-savefile', name, '-o', join(dir, name), file]);
    return await readFile(join(dir, name), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
