import { describe, expect, it } from 'vitest';
import { validOrder } from '../fuzz/corpus/requests.js';
import { uploadOk } from '../support/documents.js';
import { context, hostileInput } from '../support/hostile-input.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { createOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';

// SMTP and HTTP header injection in notification text the contract accepts: carried as text, never as a header.
describe('hostile input', () => {
  hostileInput();

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
});
