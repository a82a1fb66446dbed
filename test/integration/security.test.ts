import { OPERATIONS, pathParameters } from '@esign/contracts';
import { newId } from '@esign/temporal-contracts/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl, stackClients } from '../support/clients.js';
import { upload, uploadOk } from '../support/documents.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { accessToken, api, MERCHANTS } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

const BASE64URL_128 = /^[A-Za-z0-9_-]{21}[AQgw]$/; // 16 bytes: the last of 22 characters carries 2 bits
const BASE64URL_256 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/; // 32 bytes: the last of 43 characters carries 4 bits

/** Fraction of one bits over all the values' bytes: random data has 0.5, give or take sqrt(0.25 / bits). */
function onesFraction(values: Buffer[]): { fraction: number; bits: number } {
  let ones = 0;
  let bits = 0;
  for (const b of values) {
    for (const byte of b) {
      for (let i = 0; i < 8; i++) ones += (byte >> i) & 1;
      bits += 8;
    }
  }
  return { fraction: ones / bits, bits };
}

/** Random values: distinct, of the right size, balanced bits (within 6 standard deviations), no shared prefixes. */
function expectRandom(values: string[], bytes: number) {
  expect(new Set(values).size).toBe(values.length);
  const decoded = values.map((v) => Buffer.from(v, 'base64url'));
  for (const d of decoded) expect(d.length).toBe(bytes);
  const { fraction, bits } = onesFraction(decoded);
  expect(Math.abs(fraction - 0.5)).toBeLessThan(6 * Math.sqrt(0.25 / bits));
  // Not sequential or counter-like: no two values share a prefix that random ones would share with odds below
  // one in a million (k base64url characters: n² / 2 pairs, each alike with odds 64^-k).
  const k = Math.ceil(Math.log((values.length ** 2 / 2) * 1e6) / Math.log(64));
  const sorted = [...values].sort();
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.slice(0, k)).not.toBe(sorted[i - 1]!.slice(0, k));
}

/** The path of an operation with every parameter filled. */
const fill = (path: string) =>
  pathParameters(path).reduce((p, n) => p.replace(`{${n}}`, 'AAAAAAAAAAAAAAAAAAAAAA'), path);

// Item 3 of the reliability issue, where the other files do not cover it: authentication on every route, the
// security headers of every kind of gateway answer, the entropy of every id and secret a client or signer sees,
// XSS through the merchant's e-mail texts, and the portal's headers and session handling on every page kind.
// (Tenant isolation: tenant-matrix.test.ts; portal CSRF, session fixation at login, XSS in portal pages:
// signing-portal*.test.ts; token forgery: auth.test.ts.)
describe('security', () => {
  let c: Clients;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  describe('authentication on every route', () => {
    for (const op of OPERATIONS) {
      it(`${op.method.toUpperCase()} ${op.path}: 401 with WWW-Authenticate without a valid bearer token`, async () => {
        const url = gatewayUrl(`/enterprise/sign${fill(op.path)}`);
        const method = op.method.toUpperCase();
        const token = await accessToken('demo');
        const attempts: Array<[string, RequestInit]> = [
          ['no token', { method }],
          ['a garbage token', { method, headers: { authorization: 'Bearer not-a-token' } }],
          [
            'basic credentials',
            {
              method,
              headers: { authorization: `Basic ${Buffer.from('demo-merchant:demo-secret').toString('base64')}` },
            },
          ],
          ['a token cut short', { method, headers: { authorization: `Bearer ${token.slice(0, -8)}` } }],
          ['a token in the query string', { method }],
        ];
        for (const [name, init] of attempts) {
          const target = name === 'a token in the query string' ? `${url}?access_token=${token}` : url;
          const res = await fetch(target, init);
          expect(res.status, name).toBe(401);
          expect(res.headers.get('www-authenticate'), name).toMatch(/^Bearer realm="signicat-api"/);
          expect(res.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
        }
      });
    }
  });

  describe('security headers of the API', () => {
    async function answers(): Promise<Array<[string, Response]>> {
      const documentId = await uploadOk('demo', 'headers', 'text/plain');
      const { order } = await simpleOrder('demo');
      const created = await createOrder('demo', order);
      const { id } = (await created.clone().json()) as { id: string };
      return [
        ['201 upload', await upload('demo', 'more', 'text/plain')],
        ['201 order', created],
        ['200 order', await api('demo', `/orders/${id}`)],
        ['200 task status', await api('demo', `/orders/${id}/tasks/signer1/status`)],
        ['200 document download', await api('demo', `/documents/${documentId}`)],
        ['204 delete', await api('demo', `/documents/${documentId}`, { method: 'DELETE' })],
        ['400 invalid order', await createOrder('demo', { tasks: [] })],
        ['401 no token', await fetch(gatewayUrl('/enterprise/sign/orders/x'))],
        ['404 unknown order', await api('demo', '/orders/AAAAAAAAAAAAAAAAAAAAAA')],
        ['405 method', await api('demo', '/orders', { method: 'PUT' })],
        ['415 media type', await upload('demo', 'x', 'image/png')],
        ['404 outside the API', await fetch(gatewayUrl('/no/such/path'))],
        ['200 OpenAPI document', await fetch(gatewayUrl('/enterprise/sign/openapi.json'))],
      ];
    }

    it('every answer: nosniff, no framing, no referrer, no X-Powered-By, no server banner, no CORS', async () => {
      for (const [name, res] of await answers()) {
        const h = res.headers;
        expect(h.get('x-content-type-options'), name).toBe('nosniff');
        expect(h.get('x-frame-options'), name).toBe('DENY');
        expect(h.get('content-security-policy'), name).toBe("default-src 'none'; frame-ancestors 'none'");
        expect(h.get('referrer-policy'), name).toBe('no-referrer');
        expect(h.get('x-powered-by'), name).toBeNull();
        expect(h.get('server'), name).toBeNull();
        expect(h.get('access-control-allow-origin'), name).toBeNull();
        expect(h.get('x-trace-id'), name).toMatch(/^[0-9a-f]{32}$/);
      }
    });

    it('merchant data and errors are never cached; only the public OpenAPI document is', async () => {
      for (const [name, res] of await answers()) {
        const cache = res.headers.get('cache-control') ?? '';
        if (name === '200 OpenAPI document') expect(cache).toMatch(/^public, max-age=\d+$/);
        else expect(cache, name).toMatch(/no-store/);
      }
    });

    it('refuses CORS preflights from other origins and answers errors without internals', async () => {
      const preflight = await fetch(gatewayUrl('/enterprise/sign/orders'), {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const malformed = await api('demo', '/orders/%zz');
      expect(malformed.status).toBe(400);
      const body = await malformed.text();
      expect(body).not.toMatch(/URIError|node_modules|at \w+ \(|\/work\//);
    });

    it('serves the docs page under a CSP of its own origin, never framed', async () => {
      const res = await fetch(gatewayUrl('/enterprise/sign/docs'));
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-eval|https?:/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    });
  });

  describe('entropy of ids, codes and session secrets', () => {
    it('the id generator: 10,000 ids of 128 random bits, all distinct', () => {
      const ids = Array.from({ length: 10_000 }, () => newId());
      for (const id of ids.slice(0, 100)) expect(id).toMatch(BASE64URL_128);
      expectRandom(ids, 16);
    });

    it('document and order ids served by the API: 128 random bits each, never sequential', async () => {
      const documentIds: string[] = [];
      for (let i = 0; i < 60; i++) documentIds.push(await uploadOk('other', `entropy ${i}`, 'text/plain'));
      for (const id of documentIds) expect(id).toMatch(BASE64URL_128);
      expectRandom(documentIds, 16);

      const orderIds: string[] = [];
      for (let i = 0; i < 12; i++) {
        const { order } = await simpleOrder('other');
        const res = await createOrder('other', order);
        expect(res.status).toBe(201);
        orderIds.push(((await res.json()) as { id: string }).id);
      }
      for (const id of orderIds) expect(id).toMatch(BASE64URL_128);
      expectRandom(orderIds, 16);
    });

    it('sign codes: 256 bits each, one per task, unrelated across tasks of one order', async () => {
      const documentRef = await uploadOk('other', 'entropy', 'text/plain');
      const codes: string[] = [];
      for (let n = 0; n < 3; n++) {
        const tasks = Array.from({ length: 10 }, (_, i) => ({
          id: `signer${i}`,
          documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef }],
          signatureMethods: [{ name: 'nbid-sign' }],
        }));
        const res = await createOrder('other', { tasks });
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: string };
        const record = await c.orders.getOrder(MERCHANTS.other.merchantId, id);
        const signCodes = Object.values(record?.signCodes ?? {});
        expect(signCodes).toHaveLength(10);
        codes.push(...signCodes);
        // Each resolves to its own order and task, and nothing else does.
        const resolved = await c.orders.resolveSignCode(signCodes[0]!);
        expect(resolved).toMatchObject({ orderId: id, merchantId: MERCHANTS.other.merchantId });
      }
      for (const code of codes) expect(code).toMatch(BASE64URL_256);
      expectRandom(codes, 32);
      expect(await c.orders.resolveSignCode(Buffer.alloc(32).toString('base64url'))).toBeNull();
    });

    it('trace ids: 128 random bits per request', async () => {
      const traceIds: string[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await fetch(gatewayUrl('/enterprise/sign/orders/x'));
        traceIds.push(res.headers.get('x-trace-id')!);
      }
      for (const t of traceIds) expect(t).toMatch(/^[0-9a-f]{32}$/);
      expectRandom(
        traceIds.map((t) => Buffer.from(t, 'hex').toString('base64url')),
        16,
      );
    });

    it('portal sessions and CSRF tokens: unguessable, one per browser, a planted session id is never adopted', async () => {
      // Two links, 15 opens each: one link opens at most PORTAL_LINK_OPENS_PER_MINUTE (30) times a minute.
      const links: string[] = [];
      for (let i = 0; i < 2; i++) {
        const { order } = await simpleOrder('other');
        const res = await createOrder('other', order);
        links.push(((await res.json()) as { tasks: Array<{ signingUrl: string }> }).tasks[0]!.signingUrl);
      }
      const link = links[0]!;
      const portal = new URL(link).origin;
      const sessions: string[] = [];
      const csrfTokens: string[] = [];
      for (let i = 0; i < 30; i++) {
        const opened = await fetch(links[i % 2]!, { redirect: 'manual' });
        expect(opened.status).toBe(303);
        const session = /esign_portal=([^;]+)/.exec(opened.headers.get('set-cookie') ?? '')![1]!;
        sessions.push(session);
        const page = await (
          await fetch(`${portal}/std/task`, { headers: { cookie: `esign_portal=${session}` } })
        ).text();
        csrfTokens.push(/<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!);
      }
      for (const s of [...sessions, ...csrfTokens])
        expect(Buffer.from(s, 'base64url').length).toBeGreaterThanOrEqual(16);
      expectRandom(sessions, Buffer.from(sessions[0]!, 'base64url').length);
      expectRandom(csrfTokens, Buffer.from(csrfTokens[0]!, 'base64url').length);

      // Session fixation from outside: a cookie the attacker chose is not a session, and opening the link with it
      // gives the browser a fresh one.
      const planted = 'A'.repeat(43);
      const withPlanted = await fetch(`${portal}/std/task`, { headers: { cookie: `esign_portal=${planted}` } });
      expect(withPlanted.status).toBe(401);
      const reopened = await fetch(link, { redirect: 'manual', headers: { cookie: `esign_portal=${planted}` } });
      const issued = /esign_portal=([^;]+)/.exec(reopened.headers.get('set-cookie') ?? '')![1]!;
      expect(issued).not.toBe(planted);
      expect(sessions).not.toContain(issued);
    });
  });

  describe('signing portal headers on every kind of page', () => {
    it('no framing, no sniffing, strict CSP, no caching, no referrer leaving the origin', async () => {
      const { order } = await simpleOrder('other');
      const res = await createOrder('other', order);
      const link = ((await res.json()) as { tasks: Array<{ signingUrl: string }> }).tasks[0]!.signingUrl;
      const portal = new URL(link).origin;
      const opened = await fetch(link, { redirect: 'manual' });
      const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
      const pages: Array<[string, Response]> = [
        ['303 link', opened],
        ['200 task page', await fetch(`${portal}/std/task`, { headers: { cookie } })],
        ['200 document page', await fetch(`${portal}/std/documents/doc1`, { headers: { cookie } })],
        ['200 document content', await fetch(`${portal}/std/documents/doc1/content`, { headers: { cookie } })],
        ['401 no session', await fetch(`${portal}/std/task`)],
        ['404 unknown sign code', await fetch(`${portal}/std/docaction?sign_code=${newId(32)}`)],
        ['403 form without CSRF token', await fetch(`${portal}/std/reject`, { method: 'POST', headers: { cookie } })],
      ];
      for (const [name, page] of pages) {
        const h = page.headers;
        expect(h.get('x-frame-options'), name).toBe('DENY');
        expect(h.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
        expect(h.get('content-security-policy'), name).not.toContain('unsafe-eval');
        expect(h.get('x-content-type-options'), name).toBe('nosniff');
        expect(h.get('cache-control'), name).toBe('no-store');
        expect(h.get('referrer-policy'), name).toBe('same-origin');
        expect(h.get('x-powered-by'), name).toBeNull();
      }
      const statics = await fetch(`${portal}/static/viewer.js`);
      expect(statics.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('XSS through the e-mail a signer gets', () => {
    it('shows header, message and client reference as text in the HTML part, whatever the sender name', async () => {
      const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      const to = uniqueAddress('xss');
      const { order } = await simpleOrder('demo', { clientReference: `ref ${XSS}` });
      (order.tasks[0] as { notifications?: unknown[] }).notifications = [
        {
          id: 'n1',
          type: 'EMAIL',
          recipient: to,
          sender: `Acme " onmouseover="alert(3) <noreply@example.test>`,
          header: `Sign ${XSS}`,
          message: `Hello ${XSS}\nreference: \${clientRef}\n<a href="javascript:alert(4)">click</a>`,
        },
      ];
      const res = await createOrder('demo', order);
      expect(res.status, await res.clone().text()).toBe(201);
      await expect.poll(async () => (await mailTo(to)).length, { timeout: 20_000 }).toBe(1);
      const [mail] = await mailTo(to);
      expect(mail!.subject).toBe(`Sign ${XSS}`);
      expect(mail!.text).toContain(`Hello ${XSS}`);
      expect(mail!.text).toContain(`reference: ref ${XSS}`);
      const html = mail!.html;
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // Only the mail's own markup: every tag in it is one of the template's, none from the merchant's text.
      const tags = new Set([...html.matchAll(/<\/?([A-Za-z!][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
      expect([...tags].filter((t) => !['!doctype', 'html', 'head', 'meta', 'body', 'p', 'br'].includes(t))).toEqual([]);
      expect(html).toContain('&lt;a href=&quot;javascript:alert(4)&quot;&gt;');
    });
  });
});
