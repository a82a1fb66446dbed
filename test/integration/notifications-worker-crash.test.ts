import { startServices } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adoptProcess } from '../support/adopted.js';
import { stackClients } from '../support/clients.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { ids } from '@esign/temporal-contracts';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';
import { extraLogDir } from '../support/extra-logs.js';

const stack = inject('stack');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A new notification worker against the stack, kept running for later test files and stopped at teardown. */
async function restartNotificationWorker(): Promise<void> {
  const logDir = extraLogDir('notification');
  const [service] = await startServices({ names: ['notification'], env: stack.env, logDir });
  service!.process.disown(); // this test file's process ends before the stack does
  adoptProcess(stack.dataDir, service!.process.pid);
}

// The stack's notification worker is killed (-9) while a URL receiver is failing; deliveries wait for a worker and
// go on with the new one: nothing lost, nothing sent twice (contract §5, at most once per notification and trigger).
describe('notification worker killed between attempts', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('delivers every notification once after the worker is replaced', async () => {
    const worker = stack.servicePids.notification;
    expect(worker).toBeGreaterThan(0);
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
      // once) and no URL attempt in flight (one killed mid-call is noticed only at its 1-minute start-to-close
      // timeout, past this test's 20 s window) — a moment early in the 1 s pause after an answered attempt.
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
      process.kill(worker!, 'SIGKILL');
      const callsWhileDown = receiver.calls.length;
      await sleep(3000); // three retry intervals with no worker: the attempts wait in the task queue
      expect(receiver.calls.length).toBe(callsWhileDown); // no attempt was in flight, none can start
      const failedCalls = receiver.calls.length;
      receiver.answer([200]);
      await restartNotificationWorker();

      const events = async () =>
        (await (await api('demo', `/orders/${id}/tasks/signer1/events`)).json()) as Array<{ eventType: string }>;
      await expect
        .poll(async () => (await events()).filter((e) => e.eventType === 'NOTIFICATION_SENT').length, {
          timeout: 20_000,
        })
        .toBe(2);
      await sleep(2500); // another two retry intervals: nothing more may arrive
      // exactly one attempt after the receiver recovered: the first one got its 200
      expect(receiver.calls.length).toBe(failedCalls + 1);
      expect(new Set(receiver.calls.map((call) => call.headers['x-sign-delivery-id'])).size).toBe(1);
      expect(await mailTo(to)).toHaveLength(1);
      expect((await events()).filter((e) => e.eventType === 'ERROR')).toHaveLength(0);
    } finally {
      await receiver.stop();
    }
  });
});
