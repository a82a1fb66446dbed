import type { Server } from 'node:http';
import { SignClient } from '@esign/client';
import { freePort } from '@esign/devstack';
import { merchantCallbackSecret, signCallback } from '@esign/notification';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl, stackConfig } from '../test/support/clients.js';
import { MERCHANTS } from '../test/support/merchants.js';
import { callbackApp, type Callback } from './callback-receiver.js';

// The example receiver on a real order: the notification worker calls it, it verifies and records the callback.
describe('examples/callback-receiver', () => {
  const received: Callback[] = [];
  // The operator derives each merchant's secret from the server's; the test stack uses the dev one.
  const secret = merchantCallbackSecret(stackConfig().notifications.signingSecret, MERCHANTS.demo.merchantId);
  let server: Server;
  let origin = '';
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const app = callbackApp({ secret, publicUrl: origin, onCallback: (cb) => void received.push(cb) });
    await new Promise<void>((resolve) => {
      server = app.listen(port, '127.0.0.1', () => resolve());
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('receives a verified callback once per delivery and refuses a forged one', async () => {
    const client = new SignClient({
      baseUrl: gatewayUrl('/enterprise/sign'),
      clientId: MERCHANTS.demo.clientId,
      clientSecret: MERCHANTS.demo.secret,
    });
    const { documentId } = await client.upload(Buffer.from('Terms'), { contentType: 'text/plain' });
    const order = await client.createOrder({
      tasks: [
        {
          id: 'signer1',
          documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: documentId }],
          signatureMethods: [{ name: 'nbid-sign' }],
          notifications: [
            { id: 'hook', type: 'URL', recipient: `${origin}/sign-callbacks`, message: 'task ${orderId} is open' },
          ],
        },
      ],
    });
    await expect.poll(() => received.find((r) => r.requestId === order.id), { timeout: 30_000 }).toBeDefined();
    const callback = received.find((r) => r.requestId === order.id)!;
    expect(callback).toMatchObject({ taskId: 'signer1', message: `task ${order.id} is open` });
    expect(callback.deliveryId).toMatch(new RegExp(`^order-${order.id}-task-signer1-notify-hook-created-0$`));

    // the same delivery again (a retry after a lost answer) is acknowledged, not handled twice
    const url = `${origin}/sign-callbacks?requestId=${order.id}&taskId=signer1&message=again`;
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'x-sign-delivery-id': callback.deliveryId,
      'x-sign-timestamp': String(timestamp),
      'x-sign-signature': signCallback({ secret, timestamp, method: 'GET', url }),
    };
    expect((await fetch(url, { headers })).status).toBe(200);
    expect(received.filter((r) => r.deliveryId === callback.deliveryId)).toHaveLength(1);
    // a forged call: signed with another secret
    const forged = {
      ...headers,
      'x-sign-delivery-id': 'forged',
      'x-sign-signature': signCallback({ secret: 'x'.repeat(64), timestamp, method: 'GET', url }),
    };
    const refused = await fetch(url, { headers: forged });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe('signature does not match');
    expect(received.some((r) => r.deliveryId === 'forged')).toBe(false);
  });
});
