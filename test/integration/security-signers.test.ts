import { readFileSync } from 'node:fs';
import { ids } from '@esign/temporal-contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, loginAtTestEid } from '../support/browser.js';
import { stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { openLink, portalSession, postForm } from '../support/portal.js';

const stack = inject('stack');
const KARI = '01017012345';
const OLA = '02028012345';
type Json = Record<string, unknown>;

async function events(orderId: string, taskId: string): Promise<Array<{ eventType: string; data?: string }>> {
  return (await (await api('demo', `/orders/${orderId}/tasks/${taskId}/events`)).json()) as Array<{
    eventType: string;
    data?: string;
  }>;
}

async function taskStatus(orderId: string, taskId: string) {
  return (await (await api('demo', `/orders/${orderId}/tasks/${taskId}/status`)).json()) as Json as {
    taskStatus: string;
    documents: Array<{ id: string; resultUri?: string }>;
  };
}

/** Resident memory of a process, from /proc (kB → bytes). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

// Issue 29, the signer's side: each finding of the probe replayed as an attack on the real stack (in Chromium where
// a signer is involved), asserting that it now fails. The API side (diagnostics, prototype-named ids, the token
// endpoint, senders, Host) is in security-surface.test.ts.
describe('security: signer links, one-time codes and uploads', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  let browser: Browser;
  beforeAll(async () => {
    [c, browser] = await Promise.all([stackClients(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  async function order(tasks: Json[]): Promise<{ id: string; links: Record<string, string> }> {
    const res = await createOrder('demo', { clientReference: 'security-signers', tasks });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { id: string; tasks: Array<{ id: string; signingUrl: string }> };
    return { id: body.id, links: Object.fromEntries(body.tasks.map((t) => [t.id, t.signingUrl])) };
  }

  async function signTask(id: string, nationalId: string, documents: Json[], extra: Json = {}): Promise<Json> {
    return {
      id,
      documents,
      signatureMethods: [{ name: 'nbid-sign' }],
      subject: { attributes: [{ name: 'national-id', value: nationalId }] },
      ...extra,
    };
  }

  async function twoSigners() {
    const ref1 = await uploadOk('demo', 'Contract for Kari.', 'text/plain');
    const ref2 = await uploadOk('demo', 'Contract for Ola, with his salary.', 'text/plain');
    return order([
      await signTask('signer1', KARI, [{ id: 'd1', action: 'SIGN', source: 'SESSION', documentRef: ref1 }]),
      await signTask('signer2', OLA, [{ id: 'd1', action: 'SIGN', source: 'SESSION', documentRef: ref2 }]),
    ]);
  }

  async function identified(page: Page, link: string, nationalId = KARI) {
    await page.goto(link);
    await page.locator('form[action="/std/login"] button').first().click();
    await loginAtTestEid(page, nationalId);
    await page.waitForURL(/\/std\/task$/);
  }

  it('opens a task only with its own sign code: another task id, or the v1 form without the code, opens nothing', async () => {
    const { id, links } = await twoSigners();
    const first = new URL(links.signer1!);
    expect(first.searchParams.get('sign_code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.searchParams.get('sign_code')).not.toBe(new URL(links.signer2!).searchParams.get('sign_code'));
    const origin = first.origin;

    const page = await browser.newPage();
    try {
      // The probe's attack: the first signer's link with the second signer's task id.
      const swapped = new URL(first);
      swapped.searchParams.set('task_id', 'signer2');
      const crossed = await page.goto(swapped.href);
      expect(crossed!.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not available');
      // The v1 form without the code (what the probe built from ids alone) opens nothing either.
      const bare = await page.goto(`${origin}/std/docaction?request_id=${id}&task_id=signer2`);
      expect(bare!.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('This link is incomplete');
      // No session came of either: the portal has nothing to show, and nothing to reject.
      expect((await page.goto(`${origin}/std/task`))!.status()).toBe(401);
      expect((await page.request.get(`${origin}/std/documents/d1/content`)).status()).toBe(401);
    } finally {
      await page.close();
    }
    expect((await events(id, 'signer2')).map((e) => e.eventType)).toEqual(['TASK_CREATED']);
    expect((await taskStatus(id, 'signer2')).taskStatus).toBe('CREATED');

    // The second signer's own link still works.
    const own = await openLink(links.signer2!);
    expect(own.res.status).toBe(303);
    expect(own.res.headers.get('location')).toBe('/std/task');
  });

  it('shows no document content and takes no reject or upload before the signer is identified for the task', async () => {
    const ref = await uploadOk('demo', 'Secret terms.', 'text/plain');
    const { id, links } = await order([
      await signTask('signer1', KARI, [
        { id: 'd1', action: 'SIGN', source: 'SESSION', documentRef: ref },
        { id: 'u1', action: 'UPLOAD', source: 'UPLOAD' },
      ]),
    ]);
    const { origin, cookie, csrf } = await portalSession(links.signer1!);
    expect((await fetch(`${origin}/std/documents/d1/content`, { headers: { cookie } })).status).toBe(403);
    const page = await fetch(`${origin}/std/documents/d1`, { headers: { cookie }, redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/std/task']);
    const reject = await postForm(origin, '/std/reject', cookie, { csrf, reason: 'not me' });
    expect([reject.status, reject.headers.get('location')]).toEqual([303, '/std/task']);
    // The probe's upload replacement: refused before a byte is read, and nothing recorded.
    const upload = await fetch(`${origin}/std/upload/u1`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'text/plain' },
      body: 'the attacker’s file',
    });
    expect(upload.status).toBe(403);
    const status = await taskStatus(id, 'signer1');
    expect(status.taskStatus).toBe('CREATED');
    expect(status.documents.find((d) => d.id === 'u1')?.resultUri).toBeUndefined();
    expect((await events(id, 'signer1')).map((e) => e.eventType)).not.toContain('TASK_REJECTED');

    // Identified, the same signer reads and uploads; the identification belongs to that session only.
    const context = await browser.newContext();
    try {
      const signer = await context.newPage();
      await identified(signer, links.signer1!);
      expect((await signer.request.get(`${origin}/std/documents/d1/content`)).status()).toBe(200);
      const token = await signer.locator('meta[name="csrf-token"]').getAttribute('content');
      const own = await signer.request.post(`${origin}/std/upload/u1`, {
        headers: { 'x-csrf-token': token!, 'content-type': 'text/plain' },
        data: 'the signer’s own file',
      });
      expect(own.status()).toBe(200);
    } finally {
      await context.close();
    }
    expect((await fetch(`${origin}/std/documents/d1/content`, { headers: { cookie } })).status).toBe(403);
  });

  it('opens a link many times without growing its task history, rate-limited per link', async () => {
    const { id, links } = await twoSigners();
    const first = await openLink(links.signer1!);
    expect(first.res.status).toBe(303);
    const handle = c.temporal.workflow.getHandle(ids.task(id, 'signer1'));
    await expect.poll(async () => (await events(id, 'signer1')).map((e) => e.eventType)).toContain('TASK_STARTED');
    const length = (await handle.fetchHistory()).events!.length;

    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await openLink(links.signer1!)).res.status);
    expect(statuses.filter((s) => s === 303).length).toBe(29); // 30 opens a minute, the first included
    expect(statuses.filter((s) => s === 429).length).toBe(11);
    // The same browser keeps its session: a reopen with the cookie makes no new one.
    const again = await openLink(links.signer2!);
    const reopened = await openLink(links.signer2!, again.cookie);
    expect(reopened.res.headers.getSetCookie().join()).toContain(again.cookie!);
    expect((await handle.fetchHistory()).events!.length).toBe(length);
    expect((await events(id, 'signer1')).filter((e) => e.eventType === 'TASK_STARTED')).toHaveLength(1);
  });

  it('answers malformed portal cookies like no session, never with a server error', async () => {
    const { links } = await twoSigners();
    const origin = new URL(links.signer1!).origin;
    for (const value of ['%', '../../etc/passwd', 'a'.repeat(4000), '%C3%A4', '"quoted"', '__proto__', 'x;y']) {
      const cookie = `esign_portal=${value}`;
      const opened = await openLink(links.signer1!, cookie);
      expect(opened.res.status, value).toBe(303);
      expect((await fetch(`${origin}/std/task`, { headers: { cookie } })).status, value).toBe(401);
    }
  });

  it('refuses unauthenticated and oversized upload bodies before reading them, in bounded memory', async () => {
    const pid = stack.servicePids['signing-portal'];
    expect(pid, 'the portal runs in the test stack').toBeGreaterThan(0);
    const { links } = await twoSigners();
    const origin = new URL(links.signer1!).origin;
    const before = rssOf(pid!);
    const body = Buffer.alloc(16 * 1024 * 1024, 0x41);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`${origin}/std/upload/u1`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body }),
      ),
    );
    for (const a of answers) expect(a.status).toBe(401);
    // 96 MiB were sent; read into memory they would have grown the portal by about that much.
    expect(rssOf(pid!) - before).toBeLessThan(40 * 1024 * 1024);

    // Identified, an upload declared larger than the limit is refused from its Content-Length (413), unread.
    const ref = await uploadOk('demo', 'Upload task.', 'text/plain');
    const upload = await order([
      // A log-in asked by the merchant: a task with nothing to sign opens with its link alone otherwise.
      await signTask(
        'signer1',
        KARI,
        [
          { id: 'd1', action: 'VIEW', source: 'SESSION', documentRef: ref },
          { id: 'u1', action: 'UPLOAD', source: 'UPLOAD' },
        ],
        { authentication: { methods: ['nbid-sign'] } },
      ),
    ]);
    const context = await browser.newContext();
    try {
      const signer = await context.newPage();
      await identified(signer, upload.links.signer1!);
      const token = await signer.locator('meta[name="csrf-token"]').getAttribute('content');
      const large = await signer.request.post(`${origin}/std/upload/u1`, {
        headers: { 'x-csrf-token': token!, 'content-type': 'application/pdf' },
        data: Buffer.alloc(26 * 1024 * 1024, 0x41),
      });
      expect(large.status()).toBe(413);
    } finally {
      await context.close();
    }
  });
});
