import { describe, expect, it } from 'vitest';
import { loginAtTestEid, readEachDocument } from '../support/browser.js';
import { makePdf, uploadOk } from '../support/documents.js';
import { createOrder } from '../support/orders.js';
import { openLink, postForm } from '../support/portal.js';
import { events, KARI, portalFlows } from '../support/portal-flows.js';

type Created = { id: string; artifact?: string; tasks: Array<{ id: string; signingUrl: string; artifact?: string }> };

describe('signing portal: the task’s log-in before its documents, and the merchant’s single-sign-on artifact', () => {
  const { signerTask, inContext, s } = portalFlows();

  /** An order of `ids` tasks, each with one PDF to sign, logging in with nbid first and signing with nbid-sign. */
  async function order(ids: string[], artifact: boolean) {
    const tasks = [];
    for (const id of ids) {
      const documentRef = await uploadOk('demo', await makePdf(1, 256), 'application/pdf');
      const doc = { id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' };
      tasks.push(
        signerTask(id, [doc], {
          authentication: { methods: ['nbid'], artifact },
          signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        }),
      );
    }
    const res = await createOrder('demo', { clientReference: 'authentication', tasks });
    expect(res.status, await res.clone().text()).toBe(201);
    // The artifact takes effect: nothing reported as ignored.
    expect(res.headers.get('x-sign-ignored-fields')).toBe(null);
    return (await res.json()) as Created;
  }

  /** The task page of a session, as HTML. */
  const taskPage = async (link: string, cookie: string) =>
    (await fetch(`${new URL(link).origin}/std/task`, { headers: { cookie } })).text();

  it('logs the signer in with an authentication method before the documents, then asks for a signature method', async () => {
    const created = await order(['signer1'], false);
    expect(created.artifact).toBeUndefined();
    await inContext(async (page) => {
      await page.goto(created.tasks[0]!.signingUrl);
      // First the task's log-in: only its method is offered, and no document opens yet.
      expect(
        await page.locator('button[name="method"]').evaluateAll((b) => b.map((x) => x.getAttribute('value'))),
      ).toEqual(['nbid']);
      expect(await page.locator('a[href^="/std/documents/"]').count()).toBe(0);
      await page.locator('button[name="method"][value="nbid"]').click();
      await loginAtTestEid(page, KARI);
      await page.waitForURL(/\/std\/task$/);
      // Let in: the documents open; signing needs the signature method, and the Sign form waits for it.
      expect(
        await page.locator('button[name="method"]').evaluateAll((b) => b.map((x) => x.getAttribute('value'))),
      ).toEqual(['nbid-sign']);
      expect(await page.locator('#sign-form').count()).toBe(0);
      await readEachDocument(page);
      await page.locator('button[name="method"][value="nbid-sign"]').click();
      await loginAtTestEid(page, KARI);
      await page.waitForURL(/\/std\/task$/);
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.waitForURL(new RegExp(`^${s.landing.url}/done`));
    });
    const list = (await events(created.id)).map((e) => `${e.eventType}${e.data ? ` ${e.data}` : ''}`);
    const at = (entry: string) => list.indexOf(entry);
    expect(at('USER_AUTHENTICATED nbid')).toBeGreaterThan(-1);
    // Two log-ins, each its own event: the task's, then identifying to sign (a document to sign is recorded as
    // viewed with its signature).
    expect(at('USER_AUTHENTICATED nbid')).toBeLessThan(at('USER_AUTHENTICATED nbid-sign'));
    expect(at('USER_AUTHENTICATED nbid-sign')).toBeLessThan(at('DOCUMENT_VIEWED doc1'));
    expect(at('DOCUMENT_VIEWED doc1')).toBeLessThan(at('DOCUMENT_SIGNED doc1'));
    expect(list.at(-1)).toBe('TASK_COMPLETED');
  });

  it('lets an artifact skip the log-in once, never the signing, and refuses it reused or for another task', async () => {
    const created = await order(['signer1', 'signer2'], true);
    const [one, two] = created.tasks;
    expect(one!.artifact).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.artifact).toBe(one!.artifact);
    expect(two!.artifact).not.toBe(one!.artifact);
    const withArtifact = (link: string, artifact: string) => `${link}&artifact=${encodeURIComponent(artifact)}`;

    // Redeemed: the documents open without the log-in; the signature method is still asked for.
    const { res, cookie } = await openLink(withArtifact(one!.signingUrl, one!.artifact!));
    expect(res.status).toBe(303);
    const page = await taskPage(one!.signingUrl, cookie!);
    expect(page).toContain('href="/std/documents/doc1"');
    expect(page).toContain('value="nbid-sign"');
    expect(page).not.toContain('value="nbid"');
    expect((await events(created.id)).map((e) => `${e.eventType} ${e.data ?? ''}`)).toContain(
      'USER_AUTHENTICATED artifact',
    );
    // A Sign without identifying is sent back to the task, and nothing is signed.
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    const sign = await postForm(new URL(one!.signingUrl).origin, '/std/sign', cookie!, { csrf, consent: 'on' });
    expect(sign.status).toBe(303);
    expect(sign.headers.get('location')).toBe('/std/task');
    expect((await events(created.id)).some((e) => e.eventType === 'DOCUMENT_SIGNED')).toBe(false);

    // Reused, for another task, or not one at all: a clear page, the way to log in, nothing let in.
    for (const [link, artifact] of [
      [one!.signingUrl, one!.artifact!],
      [one!.signingUrl, two!.artifact!],
      [two!.signingUrl, two!.artifact!], // consumed by the refusal just before: one use, whatever the task
      [one!.signingUrl, 'not-an-artifact'],
    ] as const) {
      const refused = await openLink(withArtifact(link, artifact));
      expect(refused.res.status).toBe(403);
      const html = await refused.res.text();
      expect(html).toContain('This sign-in link has expired');
      expect(html).toContain('/std/docaction?');
      expect(html).not.toContain('artifact=');
      expect(await taskPage(link, refused.cookie!)).not.toContain('href="/std/documents/');
    }
    expect((await events(created.id, 'signer2')).some((e) => e.eventType === 'USER_AUTHENTICATED')).toBe(false);
  });
});
