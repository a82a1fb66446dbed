// The signer's side in Chromium for the portal flow suites: a browser, a landing page for the redirects, orders for
// Kari in English, and the API's view of what happened.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { launchChromium, loginAtTestEid, readEachDocument } from './browser.js';
import { makePdf, uploadOk } from './documents.js';
import { api } from './merchants.js';
import { placeOrder } from './portal-walk.js';
import { startReceiver } from './receiver.js';
import { expectLongTermSealed } from './signing.js';

export const KARI = '01017012345';
export const OLA = '02028012345';
export type Json = Record<string, unknown>;
const execFileAsync = promisify(execFile);

export async function events(
  orderId: string,
  taskId = 'signer1',
): Promise<Array<{ eventType: string; data?: string }>> {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/events`);
  expect(res.status).toBe(200);
  return (await res.json()) as Array<{ eventType: string; data?: string }>;
}

/** A task document's `result`, `generated` or `original` bytes, failing unless 200. */
export async function documentBytes(orderId: string, taskId: string, documentId: string, kind = 'result') {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/documents/${documentId}/${kind}`);
  expect(res.status, `${kind} of ${taskId}/${documentId}`).toBe(200);
  return { contentType: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** One seal at B-LTA: pdfsig judges it, pyHanko too when asked (slower). */
export async function expectSealed(pdf: Buffer, opts: { pyhanko?: boolean } = {}) {
  await expectLongTermSealed(pdf, inject('stack'), { pyhanko: opts.pyhanko ?? false });
}

/** Runs `fn` with the PDF written to a temporary file (for poppler's command-line tools). */
export async function withPdfFile<T>(pdf: Buffer, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-flows-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    return await fn(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `pdfimages -list`: the images (not soft masks) drawn on each page. */
export async function imagesOf(pdf: Buffer): Promise<Array<{ page: number; width: number; height: number }>> {
  const { stdout } = await withPdfFile(pdf, (file) => execFileAsync('pdfimages', ['-list', file]));
  return stdout
    .split('\n')
    .slice(2) // header and ruler
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[2] === 'image')
    .map((cols) => ({ page: Number(cols[0]), width: Number(cols[3]), height: Number(cols[4]) }));
}

/** Registers the suite's browser and landing receiver; the helpers use them once the suite runs. */
export function portalFlows() {
  const s = {} as { browser: Browser; landing: Awaited<ReturnType<typeof startReceiver>> };
  beforeAll(async () => {
    [s.browser, s.landing] = await Promise.all([launchChromium(), startReceiver([200])]);
  });
  afterAll(async () => {
    await s.browser?.close();
    await s.landing?.stop();
  });

  /** A task for Kari in English, redirecting to the landing receiver; `extra` overrides any field. */
  function signerTask(id: string, documents: Json[], extra: Json = {}): Json {
    const landing = s.landing.url;
    return {
      id,
      language: 'en',
      documents,
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      subject: { attributes: [{ name: 'national-id', value: KARI }] },
      onTaskComplete: `${landing}/done?requestId=\${requestId}&taskId=\${taskId}`,
      onTaskReject: `${landing}/rejected?requestId=\${requestId}&taskId=\${taskId}`,
      onTaskPostpone: `${landing}/later?requestId=\${requestId}&taskId=\${taskId}`,
      ...extra,
    };
  }

  /** One signer, one PDF to sign (`doc1`); `extra` goes into the task. */
  async function pdfOrder(extra: Json = {}) {
    const pdf = await makePdf(1, 256);
    const documentRef = await uploadOk('demo', pdf, 'application/pdf');
    const doc = { id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' };
    const { id, links } = await placeOrder([signerTask('signer1', [doc], extra)]);
    return { id, link: links.signer1!, pdf };
  }

  async function inContext<T>(fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await s.browser.newContext();
    try {
      return await fn(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  async function identify(page: Page, nationalId = KARI) {
    await page.locator('form[action="/std/login"] button').first().click();
    await loginAtTestEid(page, nationalId);
    await page.waitForURL(/\/std\/task$/);
  }

  /** Reads each document, consents, signs, and checks the browser lands on onTaskComplete with the placeholders. */
  async function signAndLand(page: Page, orderId: string, taskId = 'signer1') {
    if (await page.locator('ul.documents .state:not(.done)').count()) await readEachDocument(page);
    await page.locator('input[name="consent"]').check();
    await page.locator('#sign-form button[type="submit"]').click();
    await page.waitForURL(new RegExp(`^${s.landing.url}/done`));
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ requestId: orderId, taskId });
  }

  return { s, signerTask, pdfOrder, inContext, identify, signAndLand };
}
