import { readFileSync } from 'node:fs';
import { createInflate, inflateSync } from 'node:zlib';
import { OPERATIONS, pathParameters } from '@esign/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CORPUS,
  HOSTILE_IDS,
  judge,
  sendRaw,
  validOrder,
  type CorpusAnswer,
  type CorpusCase,
  type CorpusContext,
} from '../fuzz/corpus.js';
import { added, snapshot } from '../fuzz/leftovers.js';
import { compressionBombPdf, firstStream, javascriptPdf } from '../fuzz/pdfs.js';
import { launchChromium } from '../support/browser.js';
import { gatewayOperatorUrl, gatewayUrl, stackClients } from '../support/clients.js';
import { sha256, upload, uploadOk } from '../support/documents.js';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { accessToken, api, MERCHANTS } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';
import { tokenRequest } from '../support/token.js';

const stack = inject('stack');
// The corpus runs as the other merchant, whose storage no other test file writes to in the background, so "nothing
// new in its storage" is exact.
const MERCHANT = 'other' as const;
const MERCHANT_ID = MERCHANTS.other.merchantId;

type Clients = Awaited<ReturnType<typeof stackClients>>;

/** Resident memory of a process, from /proc. */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Bytes a zlib stream inflates to, counted as they come, up to `cap`. */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const inflate = createInflate();
    inflate.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n >= cap) {
        inflate.destroy();
        resolve(n);
      }
    });
    inflate.on('end', () => resolve(n));
    inflate.on('error', reject);
    inflate.end(data);
  });
}

// The hostile-input corpus of test/fuzz/corpus.ts against the test stack: every case answered as the contract asks
// (a 4xx problem+json that names the problem, with a violation at the right field where there is one) and, for
// each refusal, nothing new in the merchant's storage: no Redis key, no object, no unfinished multipart upload, no
// order. Then the inputs the contract accepts but must render harmless: a compression bomb, a PDF with JavaScript,
// SMTP and HTTP header injection in accepted text, SSRF targets that only a loopback-refusing server refuses.
describe('hostile input', () => {
  let c: Clients;
  let token: string;
  let context: CorpusContext;

  beforeAll(async () => {
    c = await stackClients();
    token = await accessToken(MERCHANT);
    context = { basePath: '/enterprise/sign', documentRef: await uploadOk(MERCHANT, 'Agreement', 'text/plain') };
  });
  afterAll(async () => {
    await c?.close();
  });

  async function expectCase(k: CorpusCase, origin = gatewayUrl()): Promise<CorpusAnswer> {
    const before = await snapshot(c, MERCHANT_ID);
    const answer = await sendRaw(origin, k.request(context), token);
    expect(judge(k, answer), k.name).toBeNull();
    expect(added(before, await snapshot(c, MERCHANT_ID)), k.name).toEqual([]);
    return answer;
  }

  describe('corpus', () => {
    for (const k of CORPUS.filter((k) => k.group !== 'path')) {
      it(`${k.group}: ${k.name} → ${k.status}`, () => expectCase(k));
    }

    // Path cases per operation: every hostile value of HOSTILE_IDS in every path parameter.
    for (const op of OPERATIONS.filter((op) => pathParameters(op.path).length > 0)) {
      it(`path: ${op.method.toUpperCase()} ${op.path} with traversal, NUL, CR LF, bad escapes and overlong ids`, async () => {
        const cases = CORPUS.filter((k) => k.name.startsWith(`${op.method.toUpperCase()} ${op.path} with `));
        expect(cases).toHaveLength(HOSTILE_IDS.length);
        for (const k of cases) {
          const answer = await expectCase(k);
          // A CR LF in the path never becomes a header of the answer.
          expect(answer.headers['set-cookie'], k.name).toBeUndefined();
        }
      });
    }

    it('answers a 100 kB request line with 431 problem+json (before any route) and keeps serving', async () => {
      const answer = await sendRaw(
        gatewayUrl(),
        { method: 'GET', path: `/enterprise/sign/orders/${'A'.repeat(100_000)}` },
        token,
      );
      // Node's HTTP parser refuses it (headers over 16 KiB) before express sees it; answered like every refusal.
      expect(answer.status).toBe(431);
      expect(answer.contentType).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
      expect((await api(MERCHANT, `/documents/${context.documentRef}`)).status).toBe(200);
    });

    it('serves a valid token request right after refusing an oversized one (no poisoned connection)', async () => {
      const huge = CORPUS.find((k) => k.name === 'a 3 MB token request body')!;
      for (let i = 0; i < 3; i++) {
        expect((await sendRaw(gatewayUrl(), huge.request(context), token)).status).toBe(413);
        const { clientId, secret } = MERCHANTS.other;
        const res = await tokenRequest(gatewayUrl('/auth/open/connect/token'), clientId, secret, 'post');
        expect(res.status).toBe(200);
      }
    });

    it('accepts a right-to-left override in free text as text, and gives it back unchanged', async () => {
      const clientReference = 'invoice-\u202egnp.exe';
      // Its own upload: deleting the order deletes the documents it took.
      const documentRef = await uploadOk(MERCHANT, 'Agreement', 'text/plain');
      const res = await createOrder(MERCHANT, validOrder({ ...context, documentRef }, {}, { clientReference }));
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const read = (await (await api(MERCHANT, `/orders/${id}`)).json()) as { clientReference: string };
      expect(read.clientReference).toBe(clientReference);
      expect((await api(MERCHANT, `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
    });
  });

  describe('PDFs the contract accepts', () => {
    it('stores a compression bomb as bytes, in constant memory, and never inflates it', async () => {
      const { pdf, inflatedBytes } = compressionBombPdf(4);
      // It is one: ~10 kB whose content stream inflates (twice) to 4 GiB; the second layer alone passes 64 MiB.
      expect(pdf.length).toBeLessThan(20_000);
      expect(inflatedBytes).toBe(4 * 2 ** 30);
      expect(await inflatedSize(inflateSync(firstStream(pdf)), 64 * 2 ** 20)).toBeGreaterThanOrEqual(64 * 2 ** 20);

      const pid = stack.servicePids.gateway!;
      const rssBefore = rssBytes(pid);
      const res = await upload(MERCHANT, pdf, 'application/pdf');
      // It starts with %PDF- and its structure parses: accepted (contract §3); what it would decode to is no matter.
      expect(res.status).toBe(201);
      const { documentId } = (await res.json()) as { documentId: string };
      expect(rssBytes(pid) - rssBefore).toBeLessThan(64 * 2 ** 20);
      const back = Buffer.from(await (await api(MERCHANT, `/documents/${documentId}`)).arrayBuffer());
      expect(sha256(back)).toBe(sha256(pdf));

      // In an order, the PDF the signer is shown is the same bytes, streamed as stored.
      const order = validOrder({ ...context, documentRef: documentId });
      const created = await createOrder(MERCHANT, order);
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const shown = await api(MERCHANT, `/orders/${id}/tasks/signer1/documents/doc1/generated`);
      expect(shown.status).toBe(200);
      expect(sha256(Buffer.from(await shown.arrayBuffer()))).toBe(sha256(pdf));
      expect(rssBytes(pid) - rssBefore).toBeLessThan(64 * 2 ** 20);
      expect((await fetch(gatewayOperatorUrl('/healthz'))).status).toBe(200);
      expect((await api(MERCHANT, `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
    });

    describe('a PDF with JavaScript', () => {
      let browser: Browser;
      let trap: Awaited<ReturnType<typeof startReceiver>>;
      beforeAll(async () => {
        [browser, trap] = await Promise.all([launchChromium(), startReceiver([200])]);
      });
      afterAll(async () => {
        await browser?.close();
        await trap?.stop();
      });

      it('is accepted, and the signing portal renders it without running any of its script', async () => {
        const pdf = javascriptPdf();
        const documentRef = await uploadOk(MERCHANT, pdf, 'application/pdf');
        const res = await createOrder(MERCHANT, validOrder({ ...context, documentRef }, { language: 'en' }));
        expect(res.status).toBe(201);
        const { id, tasks } = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
        const link = tasks[0]!.signingUrl;

        // The viewer asks pdf.js for no eval, and the page's CSP would refuse it anyway.
        const portal = new URL(link).origin;
        const viewerJs = await (await fetch(`${portal}/static/viewer.js`)).text();
        expect(viewerJs).toContain('isEvalSupported: false');
        expect(viewerJs).not.toMatch(/enableScripting|pdf\.scripting/);

        const context2 = await browser.newContext();
        const page = await context2.newPage();
        const dialogs: string[] = [];
        const requests: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        page.on('request', (r) => requests.push(r.url()));
        try {
          const opened = await page.goto(link);
          const csp = opened?.headers()['content-security-policy'] ?? '';
          expect(csp).toContain("script-src 'self'");
          expect(csp).not.toContain('unsafe-eval');
          await page.locator('a[href="/std/documents/doc1"]').click();
          const viewer = page.locator('#viewer[data-rendered]');
          await viewer.waitFor({ timeout: 20_000 });
          expect(await viewer.getAttribute('data-rendered')).toBe('1');
          expect(new URL(page.url()).pathname).toBe('/std/documents/doc1');
        } finally {
          await context2.close();
        }
        expect(dialogs).toEqual([]);
        expect(requests.filter((u) => !u.startsWith(portal))).toEqual([]);
        expect(trap.calls).toEqual([]);
        expect((await api(MERCHANT, `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
      });
    });
  });

  // As the demo merchant: notifications write to the sender's storage after the answer (delivery records), which
  // must not land in the other merchant's snapshots of the refusals below.
  describe('injection through accepted notification text', () => {
    const demoOrder = async (task: Record<string, unknown>) =>
      validOrder({ ...context, documentRef: await uploadOk('demo', 'Agreement', 'text/plain') }, task);

    it('carries CR LF and SMTP commands in an e-mail message as text: one mail, to the signer only', async () => {
      const [signer, victim] = [uniqueAddress('smtp-signer'), uniqueAddress('smtp-victim')];
      const message = `Sign at \${taskUrl}\r\n.\r\nMAIL FROM:<evil@example.test>\r\nRCPT TO:<${victim}>\r\nDATA\r\nSubject: injected\r\n\r\nhello\r\n.\r\n`;
      const res = await createOrder(
        'demo',
        await demoOrder({
          notifications: [{ id: 'n1', type: 'EMAIL', recipient: signer, header: 'Please sign', message }],
        }),
      );
      expect(res.status).toBe(201);
      await expect.poll(async () => (await mailTo(signer)).length, { timeout: 20_000 }).toBe(1);
      const [mail] = await mailTo(signer);
      expect(mail!.subject).toBe('Please sign');
      expect(mail!.to.map((t) => t.address)).toEqual([signer]);
      expect(mail!.text).toContain(`RCPT TO:<${victim}>`);
      expect(await mailTo(victim)).toEqual([]);
      expect(Object.keys(mail!.headers).map((h) => h.toLowerCase())).not.toContain('bcc');
    });

    it('sends a URL notification whose target has encoded CR LF without adding a header', async () => {
      const receiver = await startReceiver([200]);
      try {
        const res = await createOrder(
          'demo',
          await demoOrder({
            notifications: [
              { id: 'n1', type: 'URL', recipient: `${receiver.url}/hook%0d%0aX-Injected:%201?x=%0d%0aY-Injected:%202` },
            ],
          }),
        );
        expect(res.status).toBe(201);
        await expect.poll(() => receiver.calls.length, { timeout: 20_000 }).toBeGreaterThan(0);
        const call = receiver.calls[0]!;
        expect(call.headers['x-injected']).toBeUndefined();
        expect(call.headers['y-injected']).toBeUndefined();
        expect(call.url.pathname.toLowerCase()).toBe('/hook%0d%0ax-injected:%201');
        expect(call.url.searchParams.get('x')).toBe('\r\nY-Injected: 2');
      } finally {
        await receiver.stop();
      }
    });
  });

  describe('SSRF on a server that refuses loopback targets (the production default)', () => {
    let gateway: ExtraGateway;
    beforeAll(async () => {
      gateway = await startExtraGateway({ NOTIFICATION_URL_ALLOW_LOOPBACK: 'false', OTEL_TRACES_EXPORTER: 'none' });
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    const LOOPBACK = [
      'http://127.0.0.1/',
      'http://127.1/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://localhost./',
      'http://api.localhost/',
      'http://127.0.0.1\\@example.test/',
    ];
    for (const target of LOOPBACK) {
      it(`refuses a URL notification to ${target}, leaving nothing behind`, async () => {
        const k: CorpusCase = {
          name: target,
          group: 'ssrf',
          request: (ctx) => {
            const body = JSON.stringify(
              validOrder(ctx, { notifications: [{ id: 'n1', type: 'URL', recipient: target }] }),
            );
            return {
              method: 'POST',
              path: `${ctx.basePath}/orders`,
              headers: { 'content-type': 'application/json' },
              body,
            };
          },
          status: 400,
          violationAt: 'tasks[0].notifications[0].recipient',
          says: /loopback/,
        };
        await expectCase(k, gateway.url());
      });
    }
  });

  it('leaves the gateway alive and healthy: same process, no restart', async () => {
    const pid = stack.servicePids.gateway!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect((await fetch(gatewayOperatorUrl('/healthz'))).status).toBe(200);
    expect((await fetch(gatewayOperatorUrl('/readyz'))).status).toBe(200);
  });
});
