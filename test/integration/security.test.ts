import { OPERATIONS, pathParameters } from '@esign/contracts';
import { describe, expect, it } from 'vitest';
import { gatewayUrl } from '../support/clients.js';
import { upload, uploadOk } from '../support/documents.js';
import { accessToken, api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';

/** The path of an operation with every parameter filled. */
const fill = (path: string) =>
  pathParameters(path).reduce((p, n) => p.replace(`{${n}}`, 'AAAAAAAAAAAAAAAAAAAAAA'), path);

// Item 3 of the reliability issue, where the other files do not cover it: authentication on every route and the
// security headers of every kind of gateway answer here; the entropy of every id and secret a client or signer sees,
// and the portal's session handling (security-entropy.test.ts); XSS through the merchant's e-mail texts
// (security-email-xss.test.ts); the portal's headers on every page kind (security-portal-headers.test.ts).
// (Tenant isolation: tenant-matrix.test.ts; portal CSRF, session fixation at login, XSS in portal pages:
// signing-portal*.test.ts; token forgery: auth.test.ts.)
describe('security', () => {
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
});
