import { readSignatureDictionaries } from '@esign/pdf-signing';
import { describe, expect, it } from 'vitest';
import { focusedId } from '../support/browser.js';
import { makePdf, sha256, uploadOk } from '../support/documents.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { documentBytes, events, expectSealed, KARI, OLA, portalFlows } from '../support/portal-flows.js';
import { placeOrder, taskStatus } from '../support/portal-walk.js';

// Documents to view and upload, pdf.js rendering, postponing, a second signer waiting for the first, sign-code
// links (contract §5-7), in Debian's Chromium.
describe('signing portal flows in a browser', () => {
  const { s, signerTask, pdfOrder, inContext, identify, signAndLand } = portalFlows();

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
    // A log-in asked by the merchant (without `authentication` a task to read only opens with the link alone).
    const { id, links } = await placeOrder([
      signerTask('signer1', [{ id: 'info', action: 'VIEW', source: 'SESSION', documentRef, description: 'Info' }], {
        authentication: { methods: ['nbid-sign'] },
      }),
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
      await page.waitForURL(new RegExp(`^${s.landing.url}/later`));
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
});
