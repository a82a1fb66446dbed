import { freePort, startServices } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adoptProcess } from '../support/adopted.js';
import { stackClients } from '../support/clients.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { ids, URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS } from '@esign/temporal-contracts';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { HOLD, startReceiver } from '../support/receiver.js';
import { extraLogDir } from '../support/extra-logs.js';
import { startExtraGateway } from '../support/extra-gateway.js';
import { accessToken } from '../support/merchants.js';

const stack = inject('stack');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The notification worker now serving the stack: the stack's own, then each replacement. */
let workerPid = stack.servicePids.notification;

/**
 * A new notification worker against the stack, kept running for later test files and stopped at teardown. On the
 * stack's health port (later files scrape its metrics there), unless the worker it replaces still holds that port
 * (frozen, not killed): then on a port of its own.
 */
async function startNotificationWorker(ownPort = false): Promise<void> {
  const logDir = extraLogDir('notification');
  const env = ownPort ? { ...stack.env, NOTIFICATION_HEALTH_PORT: String(await freePort()) } : stack.env;
  const [service] = await startServices({ names: ['notification'], env, logDir });
  service!.process.disown(); // this test file's process ends before the stack does
  adoptProcess(stack.dataDir, service!.process.pid);
  workerPid = service!.process.pid;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const events = async (orderId: string) =>
  (await (await api('demo', `/orders/${orderId}/tasks/signer1/events`)).json()) as Array<{ eventType: string }>;

// The notification worker is killed (-9) while deliveries are under way; they go on with the new one: nothing lost,
// nothing sent twice (contract §5, at most once per notification and trigger).
describe('notification worker killed', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('between attempts: delivers every notification once after the worker is replaced', async () => {
    expect(workerPid).toBeGreaterThan(0);
    const receiver = await startReceiver([503]);
    const to = uniqueAddress('crash');
    try {
      const { order } = await simpleOrder('demo');
      (order.tasks[0] as { notifications?: unknown[] }).notifications = [
        { id: 'hook', type: 'URL', recipient: `${receiver.url}/hook`, message: 'opened' },
        { id: 'mail', type: 'EMAIL', recipient: to, header: 'Please sign', message: 'Sign at ${taskUrl}' },
      ];
      const res = await createOrder('demo', order);
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      await expect.poll(() => receiver.calls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

      // Killed between attempts, as the test says: the e-mail already sent (one killed mid-send is given up, at most
      // once) and no URL attempt in flight (the next test kills one) — a moment early in the 1 s pause after an
      // answered attempt.
      const delivery = (notificationId: string) =>
        c.temporal.workflow.getHandle(ids.notification(id, { taskId: 'signer1' }, notificationId, 'CREATED-0'));
      await expect
        .poll(async () => (await delivery('mail').describe()).status.name, { timeout: 10_000 })
        .toBe('COMPLETED');
      await expect
        .poll(
          async () => {
            const lastCall = receiver.calls.at(-1)!.at;
            const pending = (await delivery('hook').describe()).raw.pendingActivities ?? [];
            return pending.length === 0 && Date.now() - lastCall < 400;
          },
          { timeout: 10_000, interval: 50 },
        )
        .toBe(true);
      process.kill(workerPid!, 'SIGKILL');
      const callsWhileDown = receiver.calls.length;
      await sleep(3000); // three retry intervals with no worker: the attempts wait in the task queue
      expect(receiver.calls.length).toBe(callsWhileDown); // no attempt was in flight, none can start
      const failedCalls = receiver.calls.length;
      receiver.answer([200]);
      await startNotificationWorker();

      await expect
        .poll(async () => (await events(id)).filter((e) => e.eventType === 'NOTIFICATION_SENT').length, {
          timeout: 20_000,
        })
        .toBe(2);
      await sleep(2500); // another two retry intervals: nothing more may arrive
      // exactly one attempt after the receiver recovered: the first one got its 200
      expect(receiver.calls.length).toBe(failedCalls + 1);
      expect(new Set(receiver.calls.map((call) => call.headers['x-sign-delivery-id'])).size).toBe(1);
      expect(await mailTo(to)).toHaveLength(1);
      expect((await events(id)).filter((e) => e.eventType === 'ERROR')).toHaveLength(0);
    } finally {
      await receiver.stop();
    }
  });

  it('in the middle of a URL attempt: the attempt is noticed lost by its heartbeats and the next one delivers', async () => {
    // The first call is held open (the attempt in flight), the next answered 200.
    const receiver = await startReceiver([HOLD, 200]);
    try {
      const { order } = await simpleOrder('demo');
      (order.tasks[0] as { notifications?: unknown[] }).notifications = [
        { id: 'hook', type: 'URL', recipient: `${receiver.url}/hook`, message: 'opened' },
      ];
      const res = await createOrder('demo', order);
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      await expect.poll(() => receiver.calls.length, { timeout: 10_000 }).toBe(1);
      process.kill(workerPid!, 'SIGKILL');
      await startNotificationWorker();

      // Within the heartbeat timeout (plus the new worker's start), where the attempt's one-minute start-to-close
      // timeout would have left the delivery waiting past this poll.
      await expect
        .poll(async () => (await events(id)).filter((e) => e.eventType === 'NOTIFICATION_SENT').length, {
          timeout: URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS + 15_000,
        })
        .toBe(1);
      expect(receiver.calls).toHaveLength(2);
      expect(new Set(receiver.calls.map((call) => call.headers['x-sign-delivery-id'])).size).toBe(1);
      expect((await events(id)).filter((e) => e.eventType === 'ERROR')).toHaveLength(0);
    } finally {
      await receiver.stop();
    }
  });

  it('frozen mid-attempt: the same attempt is made again on another worker at once, not at the next interval', async () => {
    // Orders keep the retry schedule they were created with: ten minutes apart for a day here, as by default.
    const gateway = await startExtraGateway({
      NOTIFICATION_URL_RETRY_INTERVAL_SECONDS: '600',
      NOTIFICATION_URL_RETRY_WINDOW_SECONDS: '86400',
    });
    const receiver = await startReceiver([HOLD, 200]);
    const frozen = workerPid!;
    try {
      const { order } = await simpleOrder('demo');
      (order.tasks[0] as { notifications?: unknown[] }).notifications = [
        { id: 'hook', type: 'URL', recipient: `${receiver.url}/hook`, message: 'opened' },
      ];
      const res = await fetch(gateway.url('/enterprise/sign/orders'), {
        method: 'POST',
        headers: { authorization: `Bearer ${await accessToken('demo')}`, 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      await expect.poll(() => receiver.calls.length, { timeout: 10_000 }).toBe(1);
      process.kill(frozen, 'SIGSTOP');
      await startNotificationWorker(true);

      // Its heartbeats stop; the attempt is made again a second later, and delivers — where counting it as the
      // receiver's failure would have waited the ten-minute interval. (The frozen worker's open polls may take a
      // retry or two first, each lost for another heartbeat timeout.)
      await expect
        .poll(async () => (await events(id)).filter((e) => e.eventType === 'NOTIFICATION_SENT').length, {
          timeout: 3 * URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS + 15_000,
        })
        .toBe(1);
      expect(receiver.calls).toHaveLength(2);
      expect(new Set(receiver.calls.map((call) => call.headers['x-sign-delivery-id'])).size).toBe(1);
      expect((await events(id)).filter((e) => e.eventType === 'ERROR')).toHaveLength(0);
      const outcome = await c.temporal.workflow
        .getHandle(ids.notification(id, { taskId: 'signer1' }, 'hook', 'CREATED-0'))
        .result();
      expect(outcome).toMatchObject({ outcome: 'DELIVERED', attempts: 1 });
    } finally {
      process.kill(frozen, 'SIGCONT');
      process.kill(frozen, 'SIGKILL');
      // Back to one worker on the stack's health port, for the files after this one.
      const ownPortWorker = workerPid!;
      for (let waited = 0; isAlive(frozen) && waited < 5000; waited += 50) await sleep(50); // (a zombie stays 'alive')
      await startNotificationWorker();
      process.kill(ownPortWorker, 'SIGTERM');
      await receiver.stop();
      await gateway.stop();
    }
  });
});
