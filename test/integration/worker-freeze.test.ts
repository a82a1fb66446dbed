import { freePort, startServices, type RunningService } from '@esign/devstack';
import { ids } from '@esign/temporal-contracts';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { extraLogDir } from '../support/extra-logs.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { rawHistory } from '../support/payloads.js';
import { signDocument, signerAction } from '../support/tasks.js';

const stack = inject('stack');
const { TimeoutType } = proto.temporal.api.enums.v1;

// A worker that froze (SIGSTOP: a stalled disk, a long GC pause) still holds the polls it had open, so Temporal hands
// it activity attempts it will not run. Every activity heartbeats, so such an attempt is retried on another worker
// once its heartbeats stop (the heartbeat timeout), never only after its start-to-close timeout: a frozen worker is
// not taken for a failing dependency and does not hold an order back for minutes.
describe('document-storage worker frozen mid-traffic', () => {
  const frozen = stack.servicePids['document-storage'];
  let c: Awaited<ReturnType<typeof stackClients>>;
  let spare: RunningService | undefined;
  beforeAll(async () => {
    c = await stackClients();
    expect(frozen).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await spare?.process.stop();
    process.kill(frozen!, 'SIGCONT');
    await c.close();
  });

  it('retries the attempts the frozen worker took on the other one, at their heartbeat timeout', async () => {
    // Frozen with its polls open: the orders' first activities go to it, as no other worker polls yet.
    process.kill(frozen!, 'SIGSTOP');
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await createOrder('demo', (await simpleOrder('demo')).order);
      expect(res.status).toBe(201);
      orderIds.push(((await res.json()) as { id: string }).id);
    }
    const env = { ...stack.env, DOCUMENT_STORAGE_HEALTH_PORT: String(await freePort()) };
    [spare] = await startServices({ names: ['document-storage'], env, logDir: extraLogDir('frozen-storage') });

    for (const orderId of orderIds) {
      // Up to three attempts may be lost to the frozen worker's open polls, each for a heartbeat timeout.
      await signerAction(c.temporal, orderId, 'signer1', { type: 'STARTED' }, 90_000);
      const signed = await signDocument(c.temporal, orderId, 'signer1', 'doc1', undefined, 90_000);
      expect(signed).toEqual({ taskStatus: 'COMPLETED' });
    }
    // Each retried attempt says why the one before it ended: its heartbeats stopped, not its start-to-close ran out.
    const retried = [];
    for (const orderId of orderIds) {
      for (const event of await rawHistory(c.temporal, ids.order(orderId))) {
        const started = event.activityTaskStartedEventAttributes;
        if (started && (started.attempt ?? 1) > 1) retried.push(started.lastFailure?.timeoutFailureInfo?.timeoutType);
      }
    }
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((t) => t === TimeoutType.TIMEOUT_TYPE_HEARTBEAT)).toBe(true);
  });
});

describe('orchestrator worker frozen', () => {
  it('keeps serving reads of orders from the read model', async () => {
    const pid = stack.servicePids.orchestrator;
    expect(pid).toBeGreaterThan(0);
    const res = await createOrder('demo', (await simpleOrder('demo')).order);
    const created = (await res.json()) as { id: string };
    process.kill(pid!, 'SIGSTOP');
    try {
      expect((await api('demo', `/orders/${created.id}`)).status).toBe(200);
      expect((await api('demo', `/orders/${created.id}/tasks/signer1/status`)).status).toBe(200);
      expect((await api('demo', `/orders/${created.id}/tasks/signer1/events`)).status).toBe(200);
    } finally {
      process.kill(pid!, 'SIGCONT');
    }
  });
});
