import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@esign/config';
import { freePort, startRedis } from '@esign/devstack';
import { createRedis, isDependencyUnavailable, payloadEncryption } from '@esign/service-runtime';
import { ids } from '@esign/temporal-contracts';
import { newOrderId } from '@esign/temporal-contracts/random';
import type { Payload, SerializationContext } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';

const payload = (text: string): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(text)),
});

// A Temporal worker encodes every completion through the payload codec, and an error there fails the whole worker
// (the chaos run saw the notification worker stop, and document-storage exit, while Redis restarted). So a worker's
// codec waits for Redis to come back when it needs an order's data key; a client's (the gateway's) does not.
describe("a worker's payload codec during a Redis restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-keywait-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('waits for Redis and encrypts under the order key, where a client fails at once', async () => {
    const port = await freePort();
    const serve = () => startRedis({ dataDir: join(dataDir, 'redis'), logDir: dataDir, port, persistent: true });
    let server = await serve();
    const config = loadConfig({ REDIS_URL: server.url, PAYLOAD_KEY_WAIT_SECONDS: '60' });
    const redis = createRedis(config, () => undefined);
    try {
      const worker = payloadEncryption(config, redis, { worker: true });
      const client = payloadEncryption(config, redis);
      const orderId = newOrderId();
      const context: SerializationContext = { type: 'workflow', namespace: 'default', workflowId: ids.order(orderId) };
      await server.process.stop();

      await expect(client.codec.encode([payload('result')], context)).rejects.toSatisfy(isDependencyUnavailable);
      let settled = false;
      const encoding = worker.codec.encode([payload('result')], context).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(settled, 'the worker encode waits while Redis is down').toBe(false);

      server = await serve();
      const [encoded] = await encoding;
      expect(Buffer.from(encoded!.metadata!['encryption-key-id']!).toString()).toBe(`order/${orderId}`);
      // The key it made is in Redis: the client, which only reads, opens the payload.
      const [decoded] = await client.codec.decode([encoded!]);
      expect(JSON.parse(Buffer.from(decoded!.data!).toString())).toBe('result');
    } finally {
      redis.disconnect();
      await server.process.stop();
    }
  });
});
