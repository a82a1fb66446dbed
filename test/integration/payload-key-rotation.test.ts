import { randomBytes } from 'node:crypto';
import { DEV_DEFAULTS, loadConfig } from '@esign/config';
import { freePort, startServices, type RunningService } from '@esign/devstack';
import { createPayloadEncryption, UnknownKeyError, type WrappedKey } from '@esign/payload-codec';
import { connectTemporalClient } from '@esign/service-runtime';
import { storageKeys } from '@esign/storage-keys';
import { ids } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { extraLogDir } from '../support/extra-logs.js';
import { api, accessToken } from '../support/merchants.js';
import { simpleOrder } from '../support/orders.js';
import { metadataOf, payloadsIn, rawHistory } from '../support/payloads.js';
import { signerAction } from '../support/tasks.js';

const stack = inject('stack');

// Rotation as docs/operations.md tells it: a new payload key is added to every process and made current; orders
// begun under the old key go on and complete, new ones are encrypted under the new key, and the old key still opens
// what it encrypted. The stack's orchestrator and document-storage are paused meanwhile, so the rotated ones are the
// only workers an order can run on.
describe('payload key rotation', () => {
  const paused = [stack.servicePids.orchestrator, stack.servicePids['document-storage']];
  const rotatedEnv = {
    ...stack.env,
    PAYLOAD_KEYS: `${stack.env.PAYLOAD_KEYS ?? DEV_DEFAULTS.payloadKeys},rotated-2=${randomBytes(32).toString('base64')}`,
  };
  let c: Awaited<ReturnType<typeof stackClients>>;
  let rotatedClient: Client;
  let gateway: ExtraGateway | undefined;
  const started: RunningService[] = [];

  beforeAll(async () => {
    c = await stackClients();
    rotatedClient = await connectTemporalClient(loadConfig(rotatedEnv), c.redis);
    for (const pid of paused) expect(pid).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const s of started) await s.process.stop();
    for (const pid of paused) process.kill(pid!, 'SIGCONT');
    await rotatedClient?.connection.close();
    await c?.close();
  });

  const keyRecord = async (orderId: string) =>
    JSON.parse((await c.redis.get(c.config.redis.keyPrefix + storageKeys.payloadKey(orderId)))!) as WrappedKey;

  /**
   * DELETE as a merchant sends it, honouring a 503's Retry-After: the deletion waits for the order's workflow, whose
   * first tasks after the pause may be lost to the paused worker's open polls (each for its 10 s timeout), longer than
   * the gateway's bounded wait.
   */
  async function deleteOrder(orderId: string, origin?: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await api('demo', `/orders/${orderId}`, { method: 'DELETE' }, origin);
      if (res.status !== 503 || Date.now() > deadline) return `${res.status} ${await res.text()}`.trim();
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    }
  }

  async function create(origin: string): Promise<string> {
    const { order } = await simpleOrder('demo');
    const res = await fetch(`${origin}/enterprise/sign/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await accessToken('demo')}`, 'content-type': 'application/json' },
      body: JSON.stringify(order),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  it('completes orders begun under the old key after the new key became current', async () => {
    const before = await create(`http://127.0.0.1:${stack.env.GATEWAY_PORT}`);
    await signerAction(c.temporal, before, 'signer1', { type: 'STARTED' });
    expect((await keyRecord(before)).kek).toBe(c.config.payloads.currentId);

    for (const pid of paused) process.kill(pid!, 'SIGSTOP');
    const ports = { ORCHESTRATOR_HEALTH_PORT: await freePort(), DOCUMENT_STORAGE_HEALTH_PORT: await freePort() };
    const env = { ...rotatedEnv, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    started.push(
      ...(await startServices({ names: ['orchestrator', 'document-storage'], env, logDir: extraLogDir('rotation') })),
    );
    gateway = await startExtraGateway({ PAYLOAD_KEYS: rotatedEnv.PAYLOAD_KEYS });

    // The order begun under dev-1 completes on workers whose current key is rotated-2.
    // The Update waits for the new workers: a deadline of its own, longer than TEMPORAL_WAIT_DEADLINE_SECONDS.
    const signed = await c.temporal.connection.withDeadline(Date.now() + 60_000, () =>
      signerAction(c.temporal, before, 'signer1', { type: 'SIGNED', documentId: 'doc1', opened: ['doc1'] }, 60_000),
    );
    expect(signed).toEqual({ taskStatus: 'COMPLETED' });

    // A new order's data key is wrapped by the new key, and payloads of no order are encrypted with it.
    const after = await create(gateway.url());
    expect((await keyRecord(after)).kek).toBe('rotated-2');
    const done = await signerAction(
      rotatedClient,
      after,
      'signer1',
      { type: 'SIGNED', documentId: 'doc1', opened: ['doc1'] },
      60_000,
    );
    expect(done).toEqual({ taskStatus: 'COMPLETED' });
    // A process that never got the new key cannot open the new order's payloads (so roll keys out before use).
    const [startedEvent] = await rawHistory(c.temporal, ids.order(after));
    const input = payloadsIn(startedEvent!.workflowExecutionStartedEventAttributes!.input);
    expect(metadataOf(input[0]!, 'encryption-key-id')).toBe(`order/${after}`);
    const oldOnly = createPayloadEncryption(c.config.payloads, {
      redis: c.redis,
      keyPrefix: c.config.redis.keyPrefix,
    });
    await expect(oldOnly.codec.decode(input)).rejects.toBeInstanceOf(UnknownKeyError);

    // The stack's gateway still has only the old key: the new order is served by the rotated one.
    for (const [orderId, client, origin] of [
      [before, c.temporal, undefined],
      [after, rotatedClient, gateway.url()],
    ] as const) {
      const res = await api('demo', `/orders/${orderId}/tasks/signer1/status`, {}, origin);
      expect(((await res.json()) as { taskStatus: string }).taskStatus).toBe('COMPLETED');
      expect(await deleteOrder(orderId, origin)).toBe('204');
      expect(await client.workflow.getHandle(ids.order(orderId)).result()).toMatchObject({ status: 'DELETED' });
    }
  });
});
