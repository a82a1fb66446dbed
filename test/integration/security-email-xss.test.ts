import { describe, expect, it } from 'vitest';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { createOrder, simpleOrder } from '../support/orders.js';

// XSS through the merchant's e-mail texts: whatever they hold arrives as text in the mail a signer gets.
describe('security', () => {
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
      // Only the mail's own markup (the branded template's tables): nothing of the merchant's text became markup.
      const tags = new Set([...html.matchAll(/<\/?([A-Za-z!][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
      for (const t of ['script', 'img', 'iframe', 'object', 'embed', 'svg']) expect(tags.has(t), t).toBe(false);
      expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
      expect(html).toContain('&lt;a href=&quot;javascript:alert(4)&quot;&gt;');
    });
  });
});
