import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readSignatureDictionaries } from '@esign/pdf-signing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { drawOn, focusedId, launchChromium, loginAtTestEid, readEachDocument } from '../support/browser.js';
import { gatewayUrl } from '../support/clients.js';
import { makePdf, sha256, uploadOk } from '../support/documents.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { expectLongTermSealed } from '../support/signing.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';

const stack = inject('stack');
const KARI = '01017012345';
const OLA = '02028012345';
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

type Json = Record<string, unknown>;
interface TaskEvent {
  eventType: string;
  data?: string;
}

const execFileAsync = promisify(execFile);

/** The dev signing CA, as the document-storage worker created it on its first start. */

/** Runs `fn` with the PDF written to a temporary file (for poppler's command-line tools). */
async function withPdfFile<T>(pdf: Buffer, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
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
async function imagesOf(pdf: Buffer): Promise<Array<{ page: number; width: number; height: number }>> {
  const { stdout } = await withPdfFile(pdf, (file) => execFileAsync('pdfimages', ['-list', file]));
  return stdout
    .split('\n')
    .slice(2) // header and ruler
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[2] === 'image')
    .map((cols) => ({ page: Number(cols[0]), width: Number(cols[3]), height: Number(cols[4]) }));
}

async function events(orderId: string, taskId = 'signer1'): Promise<TaskEvent[]> {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/events`);
  expect(res.status).toBe(200);
  return (await res.json()) as TaskEvent[];
}

async function taskStatus(orderId: string, taskId = 'signer1'): Promise<string> {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/status`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { taskStatus: string }).taskStatus;
}

/** A task document's `result`, `generated` or `original` bytes, failing unless 200. */
async function documentBytes(orderId: string, taskId: string, documentId: string, kind = 'result') {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/documents/${documentId}/${kind}`);
  expect(res.status, `${kind} of ${taskId}/${documentId}`).toBe(200);
  return { contentType: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** One seal at B-LTA: pdfsig judges it, pyHanko too when asked (slower). */
async function expectSealed(pdf: Buffer, opts: { pyhanko?: boolean } = {}) {
  await expectLongTermSealed(pdf, stack, { pyhanko: opts.pyhanko ?? false });
}

// The rest of the signer's side in Debian's Chromium (contract §5-7): documents to view and upload, pdf.js rendering,
// postponing, a second signer waiting for the first, sign-code links, drawn signatures, signed statements, dead
// links, the session's safety, and merchant-supplied text that must stay text.
describe('signing portal flows in a browser', () => {
  let browser: Browser;
  let landing: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [browser, landing] = await Promise.all([launchChromium(), startReceiver([200])]);
  });
  afterAll(async () => {
    await browser?.close();
    await landing?.stop();
  });

  /** A task for Kari in English, redirecting to the landing receiver; `extra` overrides any field. */
  function signerTask(id: string, documents: Json[], extra: Json = {}): Json {
    return {
      id,
      language: 'en',
      documents,
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      subject: { attributes: [{ name: 'national-id', value: KARI }] },
      onTaskComplete: `${landing.url}/done?requestId=\${requestId}&taskId=\${taskId}`,
      onTaskReject: `${landing.url}/rejected?requestId=\${requestId}&taskId=\${taskId}`,
      onTaskPostpone: `${landing.url}/later?requestId=\${requestId}&taskId=\${taskId}`,
      ...extra,
    };
  }

  async function placeOrder(tasks: Json[], extra: Json = {}) {
    const res = await createOrder('demo', { clientReference: 'portal-flows', tasks, ...extra });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { id: string; tasks: Array<{ id: string; signingUrl: string }> };
    return { id: body.id, links: Object.fromEntries(body.tasks.map((t) => [t.id, t.signingUrl])) };
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
    const context = await browser.newContext();
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
    await page.waitForURL(new RegExp(`^${landing.url}/done`));
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ requestId: orderId, taskId });
  }

  it('renders a PDF with pdf.js, shows a text to read, takes an upload and signs; the API has it all', async () => {
    const pdf = await makePdf(2, 512);
    const terms = 'Terms and conditions\n  1. Be nice.\n  2. Ærlig talt: ÆØÅ æøå.';
    const [pdfRef, textRef] = await Promise.all([
      uploadOk('demo', pdf, 'application/pdf'),
      uploadOk('demo', terms, 'text/plain'),
    ]);
    const { id, links } = await placeOrder([
      signerTask('signer1', [
        { id: 'contract', action: 'SIGN', source: 'SESSION', documentRef: pdfRef, description: 'Contract' },
        { id: 'terms', action: 'VIEW', source: 'SESSION', documentRef: textRef, description: 'Terms' },
        { id: 'passport', action: 'UPLOAD', source: 'UPLOAD', description: 'Copy of your passport' },
      ]),
    ]);
    const uploaded = await makePdf(1, 128);

    await inContext(async (page) => {
      await page.goto(links.signer1!);
      expect(await page.locator('ul.documents li').count()).toBe(3);
      // the UPLOAD document has nothing to open, only its form
      expect(await page.locator('a[href="/std/documents/passport"]').count()).toBe(0);

      // signing before reading and uploading is refused, naming what is missing; nothing is recorded
      await identify(page);
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      // The page again (400, no redirect): the message by the documents, focused; the consent kept.
      await page.locator('#documents-error').waitFor();
      expect(await page.locator('#documents-error').textContent()).toBe(
        'Finish every document first: Contract, Terms, Copy of your passport.',
      );
      expect(await focusedId(page)).toBe('documents-error');
      expect(await page.locator('input[name="consent"]').isChecked()).toBe(true);
      expect((await events(id)).map((e) => e.eventType)).not.toContain('DOCUMENT_SIGNED');

      await page.locator('a[href="/std/documents/contract"]').click();
      const viewer = page.locator('#viewer[data-rendered]');
      await viewer.waitFor({ timeout: 20_000 });
      expect(await viewer.getAttribute('data-rendered')).toBe('2');
      expect(await page.locator('#viewer canvas').count()).toBe(2);
      await page.locator('main a[href="/std/task"]').first().click();

      await page.locator('a[href="/std/documents/terms"]').click();
      expect(await page.locator('pre.text-document').textContent()).toBe(terms);
      await page.locator('main a[href="/std/task"]').first().click();
      await page.waitForURL(/\/std\/task$/);

      const form = page.locator('form.upload[data-document="passport"]');
      await form.locator('input[type="file"]').setInputFiles({
        name: 'passport.pdf',
        mimeType: 'application/pdf',
        buffer: uploaded,
      });
      await form.locator('button[type="submit"]').click();
      await page.waitForURL(/\/std\/task\?m=uploaded$/);
      expect(await page.locator('p.notice[role="status"]').textContent()).toBe('Your file was uploaded.');
      expect(await page.locator('form.upload').count()).toBe(0);
      // opened counts as read, for the document to sign too (it says Signed once signed)
      expect(await page.locator('ul.documents .state.done').allTextContents()).toEqual(['Read', 'Read', 'Uploaded']);
      await signAndLand(page, id);
    });

    expect(await taskStatus(id)).toBe('COMPLETED');
    const history = await events(id);
    const types = history.map((e) => e.eventType);
    expect(types).toEqual(expect.arrayContaining(['DOCUMENT_UPLOADED', 'DOCUMENT_SIGNED', 'TASK_COMPLETED']));
    // each document once, as its action says
    const about = (type: string) => history.filter((e) => e.eventType === type).map((e) => e.data);
    expect(about('DOCUMENT_VIEWED')).toEqual(['terms', 'contract']); // the one to sign recorded with its signature
    expect(about('DOCUMENT_UPLOADED')).toEqual(['passport']);
    expect(about('DOCUMENT_SIGNED')).toEqual(['contract']);
    expect(types.filter((t) => t === 'TASK_COMPLETED')).toHaveLength(1);

    const upload = await documentBytes(id, 'signer1', 'passport');
    expect(upload.contentType).toBe('application/pdf');
    expect(upload.bytes.equals(uploaded)).toBe(true);
    const signed = await documentBytes(id, 'signer1', 'contract');
    expect(signed.contentType).toBe('application/pdf');
    await expectSealed(signed.bytes, { pyhanko: true });
    const generated = await documentBytes(id, 'signer1', 'contract', 'generated');
    expect(sha256(generated.bytes)).toBe(sha256(pdf));
  });

  it('completes a task with only a document to read when the identified signer confirms, not on opening it', async () => {
    const documentRef = await uploadOk('demo', 'For your information.', 'text/plain');
    const { id, links } = await placeOrder([
      signerTask('signer1', [{ id: 'info', action: 'VIEW', source: 'SESSION', documentRef, description: 'Info' }]),
    ]);
    await inContext(async (page) => {
      await page.goto(links.signer1!);
      expect(await page.locator('a[href="/std/documents/info"]').count()).toBe(0); // nothing shown before identifying
      await identify(page);
      await page.locator('a[href="/std/documents/info"]').click();
      expect(await page.locator('pre.text-document').textContent()).toBe('For your information.');
      await page.locator('main a[href="/std/task"]').first().click();
      await page.waitForURL(/\/std\/task$/);
      expect(await page.locator('h1').textContent()).toBe('Sign documents'); // still open: not confirmed yet
      expect(await taskStatus(id)).toBe('CREATED');
      expect((await events(id)).map((e) => e.eventType)).not.toContain('DOCUMENT_VIEWED');
      await signAndLand(page, id);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
    const types = (await events(id)).map((e) => e.eventType);
    expect(types.indexOf('USER_AUTHENTICATED')).toBeLessThan(types.indexOf('DOCUMENT_VIEWED'));
    expect(types.filter((t) => t === 'TASK_COMPLETED')).toHaveLength(1);
  });

  it('postpones to onTaskPostpone with the placeholders filled in; the task stays open', async () => {
    const { id, link } = await pdfOrder();
    await inContext(async (page) => {
      await page.goto(link);
      await page.locator('form[action="/std/postpone"] button').click();
      await page.waitForURL(new RegExp(`^${landing.url}/later`));
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ requestId: id, taskId: 'signer1' });
      // the link still opens the task afterwards
      await page.goto(link);
      expect(new URL(page.url()).pathname).toBe('/std/task');
      expect(await page.locator('h1').textContent()).toBe('Sign documents');
    });
    expect(await taskStatus(id)).toBe('CREATED');
    expect((await events(id)).map((e) => e.eventType)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^TASK_(COMPLETED|REJECTED)$/)]),
    );
  });

  it('keeps a dependent task closed until the first signer signed, then lets the second sign', async () => {
    const pdf = await makePdf(1, 256);
    const documentRef = await uploadOk('demo', pdf, 'application/pdf');
    const doc = { id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' };
    const { id, links } = await placeOrder([
      signerTask('signer1', [doc]),
      signerTask('signer2', [doc], {
        language: 'nb',
        dependsOnTasks: ['signer1'],
        subject: { attributes: [{ name: 'national-id', value: OLA }] },
      }),
      signerTask('signer3', [doc], { dependsOnTasks: ['signer1', 'signer2'] }),
    ]);

    await inContext(async (page) => {
      const res = await page.goto(links.signer2!);
      expect(res?.status()).toBe(409);
      expect(await page.locator('html').getAttribute('lang')).toBe('nb');
      expect(await page.locator('h1').textContent()).toBe('Ikke klar ennå');
      expect(await page.locator('main p').first().textContent()).toBe(
        'Andre må signere først. Du kan signere når de er ferdige.',
      );
    });
    // the same page in English, for a third signer who also waits (and never signs here)
    const english = await fetch(links.signer3!, { redirect: 'manual' });
    expect(english.status).toBe(409);
    const html = await english.text();
    expect(html).toMatch(/<h1[^>]*>Not ready yet<\/h1>/);
    expect(html).toContain('Others must sign first. You will be able to sign when they are done.');
    expect(await taskStatus(id, 'signer2')).toBe('CREATED');

    await inContext(async (page) => {
      await page.goto(links.signer1!);
      await identify(page, KARI);
      await signAndLand(page, id, 'signer1');
    });
    await inContext(async (page) => {
      await page.goto(links.signer2!);
      expect(new URL(page.url()).pathname).toBe('/std/task');
      expect(await page.locator('html').getAttribute('lang')).toBe('nb');
      await identify(page, OLA);
      await signAndLand(page, id, 'signer2');
    });

    expect(await taskStatus(id, 'signer1')).toBe('COMPLETED');
    expect(await taskStatus(id, 'signer2')).toBe('COMPLETED');
    for (const [taskId, name] of [
      ['signer1', 'Kari Nordmann'],
      ['signer2', 'Ola Nordmann'],
    ] as const) {
      const { bytes } = await documentBytes(id, taskId, 'doc1');
      await expectSealed(bytes, { pyhanko: true });
      expect(await readSignatureDictionaries(bytes)).toEqual([expect.objectContaining({ name })]);
    }
  });

  it('opens the task from the ${signCodeUrl} of a notification and signs', async () => {
    const to = uniqueAddress('sign-code');
    const { id } = await pdfOrder({
      notifications: [{ id: 'invite', type: 'EMAIL', recipient: to, header: 'Sign', message: 'Open ${signCodeUrl}' }],
    });
    await expect.poll(async () => (await mailTo(to)).length, { timeout: 20_000 }).toBe(1);
    const [mail] = await mailTo(to);
    const link = /Open (\S+)/.exec(mail!.text)![1]!;
    const url = new URL(link);
    expect(url.pathname).toBe('/std/docaction');
    expect([...url.searchParams.keys()]).toEqual(['sign_code']);
    expect(link).not.toContain(id);

    await inContext(async (page) => {
      await page.goto(link);
      expect(new URL(page.url()).pathname).toBe('/std/task'); // the code left the address bar
      expect(await page.locator('ul.documents strong').textContent()).toBe('Agreement');
      await identify(page);
      await signAndLand(page, id);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
    await expectSealed((await documentBytes(id, 'signer1', 'doc1')).bytes);
  });

  it('stamps a drawn signature on the document when the method is handwritten', async () => {
    const { id, link, pdf } = await pdfOrder({
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED', handwritten: true }],
    });
    await inContext(async (page) => {
      await page.goto(link);
      expect(await page.locator('#signature').count()).toBe(0); // asked for only once identified
      await identify(page);
      await readEachDocument(page);
      // without a drawing, signing is refused with the instruction
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.locator('#signature-error').waitFor();
      expect(await page.locator('#signature-error').textContent()).toBe('Draw your signature or type your name.');
      // The error stands by the signature field, focused, and the consent given stays given.
      expect(await focusedId(page)).toBe('signature-error');
      expect(await page.locator('input[name="consent"]').isChecked()).toBe(true);

      await drawOn(page, '#signature');
      expect(await page.locator('#handwritten').inputValue()).toMatch(/^data:image\/png;base64,/);
      await signAndLand(page, id);
    });

    const { bytes } = await documentBytes(id, 'signer1', 'doc1');
    await expectSealed(bytes);
    expect(await imagesOf(pdf)).toEqual([]);
    const images = await imagesOf(bytes);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ page: 1, width: 600, height: 200 }); // the canvas, as drawn
  });

  it('turns away an oversized or broken drawn signature with a message, not an error page', async () => {
    const { id, link } = await pdfOrder({
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED', handwritten: true }],
    });
    const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await inContext(async (page) => {
      await page.goto(link);
      await identify(page);
      await readEachDocument(page);
      const portal = new URL(page.url()).origin;
      const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
      for (const png of [
        Buffer.concat([PNG_MAGIC, randomBytes(201 * 1024)]), // over the 200 KiB a seal takes
        Buffer.concat([PNG_MAGIC, randomBytes(2048)]), // a PNG signature, then noise
      ]) {
        const res = await page.request.post(`${portal}/std/sign`, {
          form: { csrf, consent: 'yes', handwritten: `data:image/png;base64,${png.toString('base64')}` },
          maxRedirects: 0,
        });
        expect(res.status(), `${png.length} bytes`).toBe(400);
        expect(await res.text()).toContain('Draw your signature or type your name.');
      }
      // the task is still open for a real drawing
      await page.reload();
      await drawOn(page, '#signature');
      await signAndLand(page, id);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });

  it('embeds the identity provider’s signed statement of the document digests with SIGNED_STATEMENT', async () => {
    const { id, link, pdf } = await pdfOrder({ signatureMethods: [{ name: 'nbid-sign', type: 'SIGNED_STATEMENT' }] });
    await inContext(async (page) => {
      await page.goto(link);
      await identify(page);
      await signAndLand(page, id);
    });

    const { bytes } = await documentBytes(id, 'signer1', 'doc1');
    await expectSealed(bytes);
    const { list, jwt } = await withPdfFile(bytes, async (file, dir) => {
      const listed = await execFileAsync('pdfdetach', ['-list', file]);
      const out = join(dir, 'statement.jwt');
      await execFileAsync('pdfdetach', ['-savefile', 'signed-statement.jwt', '-o', out, file]);
      return { list: listed.stdout, jwt: (await readFile(out, 'utf8')).trim() };
    });
    expect(list).toContain('signed-statement.jwt');
    expect(list).toContain('signing-evidence.json');

    const discovery = (await (await fetch(gatewayUrl('/auth/open/.well-known/openid-configuration'))).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.esign_digests).toEqual([sha256(pdf)]);
    expect(payload).toMatchObject({ acr: 'nbid-sign', national_id: KARI, name: 'Kari Nordmann' });
  });

  it('answers a deleted order’s link and an unknown sign code with the not-available page (404)', async () => {
    const { id, link } = await pdfOrder();
    const portal = new URL(link).origin;
    await inContext(async (page) => {
      await page.goto(link); // a session on the task is open
      expect(new URL(page.url()).pathname).toBe('/std/task');
      expect((await api('demo', `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);

      const reloaded = await page.goto(`${portal}/std/task`);
      expect(reloaded?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      const again = await page.goto(link);
      expect(again?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      expect(await page.locator('main p').first().textContent()).toBe(
        'This signing link is not valid, or the documents were deleted.',
      );

      const unknown = await page.goto(`${portal}/std/docaction?sign_code=${randomBytes(32).toString('base64url')}`);
      expect(unknown?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      const malformed = await page.goto(`${portal}/std/docaction?sign_code=${encodeURIComponent('../../etc')}`);
      expect(malformed?.status()).toBe(404);
    });
    expect((await api('demo', `/orders/${id}`)).status).toBe(404);
  });

  it('gives each browser its own HttpOnly, SameSite=Lax session, refuses forged CSRF tokens, rotates at login', async () => {
    const { id, link } = await pdfOrder();
    const portal = new URL(link).origin;
    const cookieOf = async (context: BrowserContext) =>
      (await context.cookies(`${portal}/std/task`)).find((c) => c.name === 'esign_portal');
    const csrfOf = (page: Page) => page.locator('meta[name="csrf-token"]').getAttribute('content');
    const a = await browser.newContext();
    const b = await browser.newContext();
    try {
      const [pa, pb] = await Promise.all([a.newPage(), b.newPage()]);
      await pa.goto(link);
      await pb.goto(link);
      const [before, other] = [await cookieOf(a), await cookieOf(b)];
      expect(before).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/std' });
      expect(other).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(other!.value).not.toBe(before!.value);
      const [csrfA, csrfB] = [await csrfOf(pa), await csrfOf(pb)];
      expect(csrfA).toBeTruthy();
      expect(csrfA).not.toBe(csrfB);
      // the second browser did not end the first one's session
      await pa.reload();
      expect(new URL(pa.url()).pathname).toBe('/std/task');
      expect(await pa.locator('h1').textContent()).toBe('Sign documents');
      // the other browser's token is no good in this session
      const crossed = await pa.request.post(`${portal}/std/reject`, { form: { csrf: csrfB!, reason: 'x' } });
      expect(crossed.status()).toBe(403);

      await identify(pa);
      const after = await cookieOf(a);
      expect(after).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/std' });
      expect(after!.value).not.toBe(before!.value); // no session fixation
      const csrfAfter = await csrfOf(pa);
      expect(csrfAfter).not.toBe(csrfA);
      const stale = await fetch(`${portal}/std/task`, { headers: { cookie: `esign_portal=${before!.value}` } });
      expect(stale.status).toBe(401);

      for (const csrf of ['forged', csrfA!, csrfB!]) {
        const forged = await pa.request.post(`${portal}/std/sign`, { form: { csrf, consent: 'yes' }, maxRedirects: 0 });
        expect(forged.status(), `csrf ${csrf}`).toBe(403);
      }
      const withoutToken = await pa.request.post(`${portal}/std/sign`, { form: { consent: 'yes' }, maxRedirects: 0 });
      expect(withoutToken.status()).toBe(403);
      // a cross-site origin is refused even with the right token
      const crossSite = await pa.request.post(`${portal}/std/sign`, {
        form: { csrf: csrfAfter!, consent: 'yes' },
        headers: { origin: 'https://evil.example' },
        maxRedirects: 0,
      });
      expect(crossSite.status()).toBe(403);

      // the other browser is still anonymous: one signer's login does not leak into another session
      await pb.reload();
      expect(await pb.locator('form[action="/std/login"]').count()).toBe(1);
      expect(await pb.locator('#sign-form').count()).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(await taskStatus(id)).toBe('CREATED');
    expect((await events(id)).map((e) => e.eventType)).not.toContain('DOCUMENT_SIGNED');
  });

  it('shows merchant-supplied text as text, never as markup', async () => {
    const textRef = await uploadOk('demo', `Body ${XSS}`, 'text/plain');
    const { id, links } = await placeOrder(
      [
        signerTask(
          'signer1',
          [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: textRef, description: `Agreement ${XSS}` }],
          { dialog: { title: `Title ${XSS}`, message: `Message ${XSS}` }, signText: `I agree ${XSS}` },
        ),
      ],
      { clientReference: `ref ${XSS}` },
    );
    const portal = new URL(links.signer1!).origin;
    const dialogs: string[] = [];
    await inContext(async (page) => {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const noMarkup = async () => {
        expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
        const html = await page.content();
        expect(html).not.toContain('<script>alert');
        expect(html).not.toContain('<img src="x"');
      };

      await page.goto(links.signer1!);
      expect(await page.locator('main > section').first().locator('h2').textContent()).toBe(`Title ${XSS}`);
      expect(await page.locator('main > section').first().locator('p').textContent()).toBe(`Message ${XSS}`);
      expect(await page.locator('ul.documents strong').textContent()).toBe(`Agreement ${XSS}`);
      await identify(page);
      expect(await page.locator('ul.documents a').textContent()).toBe(`Open Agreement ${XSS}`);
      const raw = await (await page.request.get(`${portal}/std/task`)).text();
      expect(raw).not.toContain(XSS);
      expect(raw).not.toContain('<img src=x');
      expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      await noMarkup();

      await page.locator('ul.documents a').click();
      expect(await page.locator('h1').textContent()).toBe(`Agreement ${XSS}`);
      expect(await page.locator('pre.text-document').textContent()).toBe(`Body ${XSS}`);
      expect(await page.title()).toContain(`Agreement ${XSS}`);
      await noMarkup();

      // Nothing of the address is echoed on the page (errors are the portal's own texts).
      await page.goto(`${portal}/std/task?e=${encodeURIComponent(XSS)}&m=${encodeURIComponent(XSS)}`);
      await noMarkup();

      await page.goto(`${portal}/std/task`);
      expect(await page.locator('p.sign-text').textContent()).toBe(`I agree ${XSS}`);
      await noMarkup();
      await signAndLand(page, id);
    });
    expect(dialogs).toEqual([]);
    await expectSealed((await documentBytes(id, 'signer1', 'doc1')).bytes);
  });
});
