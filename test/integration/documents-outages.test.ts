import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { upload } from '../support/documents.js';
import { startExtraGateway } from '../support/extra-gateway.js';
import { MERCHANTS } from '../support/merchants.js';
import { objectKeys } from '../support/objects.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

describe('storage outages', () => {
  let c: Clients;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c.close();
  });

  it('answers 503 with Retry-After when S3 is down, and records nothing', async () => {
    const deadS3 = await startExtraGateway({ S3_ENDPOINT: 'http://127.0.0.1:9' }, 'alive');
    const uploadKeys = () => c.redis.keys(`${c.config.redis.keyPrefix}m:${MERCHANTS.demo.merchantId}:upload:*`);
    const uploadObjects = () => objectKeys(c, `uploads/${MERCHANTS.demo.merchantId}/`);
    try {
      // Earlier uploads may expire meanwhile (keys and objects go), but the refused upload must add nothing.
      const [keysBefore, objectsBefore] = [new Set(await uploadKeys()), new Set(await uploadObjects())];
      const res = await upload('demo', 'hello', 'text/plain', deadS3.url());
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await uploadKeys()).filter((k) => !keysBefore.has(k))).toEqual([]);
      expect((await uploadObjects()).filter((o) => !objectsBefore.has(o))).toEqual([]);
    } finally {
      await deadS3.stop();
    }
  });

  it('answers 503 when Redis is down, and removes the object it had stored', async () => {
    const before = await objectKeys(c, `uploads/${MERCHANTS.demo.merchantId}/`);
    const deadRedis = await startExtraGateway({ REDIS_URL: 'redis://127.0.0.1:9' }, 'alive');
    try {
      const res = await upload('demo', 'hello', 'text/plain', deadRedis.url());
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await objectKeys(c, `uploads/${MERCHANTS.demo.merchantId}/`)).toEqual(before);
    } finally {
      await deadRedis.stop();
    }
  });
});
