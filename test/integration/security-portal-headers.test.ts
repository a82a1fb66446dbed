import { newId } from '@esign/temporal-contracts/random';
import { describe, expect, it } from 'vitest';
import { createOrder, simpleOrder } from '../support/orders.js';

// The signing portal's security headers on every kind of page it serves.
describe('security', () => {
  describe('signing portal headers on every kind of page', () => {
    it('no framing, no sniffing, strict CSP, no caching or compression of pages, no referrer leaving the origin', async () => {
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
        // Pages hold a CSRF token beside text others chose: never compressed (BREACH).
        expect(h.get('content-encoding'), name).toBeNull();
      }
      // Static files: cacheable, compressed for a browser that accepts it, and read back byte for byte.
      for (const path of ['/static/viewer.js', '/static/portal.css', '/static/pdfjs/pdf.min.mjs']) {
        const accepted = await fetch(`${portal}${path}`, { headers: { 'accept-encoding': 'gzip' } });
        expect(accepted.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(accepted.headers.get('cache-control'), path).toContain('max-age=3600');
        expect(accepted.headers.get('content-encoding'), path).toBe('gzip');
        const plain = await fetch(`${portal}${path}`, { headers: { 'accept-encoding': 'identity' } });
        expect(plain.headers.get('content-encoding'), path).toBeNull();
        expect(await accepted.text(), path).toBe(await plain.text());
      }
    });
  });
});
