import { CreationReservations, type OrderRecord } from '@esign/order-store';
import { storageKeys } from '@esign/storage-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { upload } from '../support/documents.js';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { api } from '../support/merchants.js';
import { objectKeys } from '../support/objects.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

describe('upload expiry (durable timer per upload)', () => {
  let c: Clients;
  let gateway: ExtraGateway;
  beforeAll(async () => {
    c = await stackClients();
    gateway = await startExtraGateway({ UPLOAD_TTL_SECONDS: '3' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await c.close();
  });

  it('ends uploads at the TTL, never before; an object a creation reserved outlives it until the reservation lapses', async () => {
    const { store } = c;
    const ids: string[] = [];
    for (const text of ['expires', 'is reserved']) {
      const res = await upload('demo', text, 'text/plain', gateway.url());
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { documentId: string }).documentId);
    }
    const [expiring, reserved] = ids as [string, string];
    const reservations = new CreationReservations({ redis: c.redis, keyPrefix: c.config.redis.keyPrefix });
    const order = { orderId: 'reserving-order', merchantId: 'demo-merchant' } as OrderRecord;
    expect(await reservations.reserve(order, [reserved], 8_000)).toEqual({ missing: [] });
    expect((await api('demo', `/documents/${expiring}`)).status).toBe(200);

    const expiresAt = async (id: string) => Date.parse((await store.getMeta('demo-merchant', id))!.expiresAt);
    const [expiringAt, reservedAt] = [await expiresAt(expiring), await expiresAt(reserved)];
    // Expiry is the end of the upload's second plus the TTL: 3 to 4 s after the upload.
    expect(expiringAt - Date.now()).toBeGreaterThan(1000);

    // Each ends with the timer of its second: the metadata first (clients stop seeing it), then the object.
    const deadline = Date.now() + 20_000;
    while ((await api('demo', `/documents/${expiring}`)).status !== 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now()).toBeGreaterThanOrEqual(expiringAt);
    expect((await api('demo', `/documents/${expiring}`)).status).toBe(404);
    await expect
      .poll(() => objectKeys(c, storageKeys.uploadObject('demo-merchant', expiring)), { timeout: 5000 })
      .toEqual([]);
    // The reserved one ends for clients on time too, but its object stays while the reservation lasts …
    await new Promise((r) => setTimeout(r, Math.max(0, reservedAt + 1500 - Date.now())));
    expect((await api('demo', `/documents/${reserved}`)).status).toBe(404);
    const reservedKey = storageKeys.uploadObject('demo-merchant', reserved);
    expect(await objectKeys(c, reservedKey)).toEqual([reservedKey]);
    // … and goes when the timer's retried activity finds the reservation lapsed (never confirmed: nothing to sweep).
    await expect.poll(() => objectKeys(c, reservedKey), { timeout: 30_000, interval: 500 }).toEqual([]);
  });
});
