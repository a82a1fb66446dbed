import { ids, type NotificationDeliveryOutcome } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';

interface Created {
  id: string;
}

// DELETE /orders/{id} on the real stack while deliveries are pending: a URL callback that keeps failing (the test
// stack retries every second for 20 s) and a reminder waiting out its delay. Deleting the order stops both at once.
describe('deleting an order stops its deliveries', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('makes no further attempt at a failing URL callback and cancels a delayed reminder', async () => {
    const receiver = await startReceiver([503]);
    try {
      const { order } = await simpleOrder('demo');
      (order.tasks[0] as { notifications?: unknown[] }).notifications = [
        {
          id: 'hook',
          type: 'URL',
          recipient: `${receiver.url}/hook`,
          message: 'Task opened',
          schedule: [{ triggerStatus: 'CREATED' }, { triggerStatus: 'CREATED', delay: { days: 1 } }],
        },
      ];
      const res = await createOrder('demo', order);
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as Created;
      const failing = c.temporal.workflow.getHandle(ids.notification(id, { taskId: 'signer1' }, 'hook', 'CREATED-0'));
      const reminder = c.temporal.workflow.getHandle(ids.notification(id, { taskId: 'signer1' }, 'hook', 'CREATED-1'));
      // the callback has failed and been retried at least once
      await expect.poll(() => receiver.calls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

      expect((await api('demo', `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
      // Both deliveries end at once, long before the 20 s retry window or the one-day delay would have.
      const outcomes = (await Promise.all([failing.result(), reminder.result()])) as NotificationDeliveryOutcome[];
      expect(outcomes).toEqual([
        { outcome: 'SKIPPED', reason: 'order-deleted' },
        { outcome: 'SKIPPED', reason: 'order-deleted' },
      ]);
      const attempts = receiver.calls.length;
      expect(attempts).toBeLessThan(20);
      // Three retry intervals later there was no further attempt.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(receiver.calls).toHaveLength(attempts);
      expect((await api('demo', `/orders/${id}`)).status).toBe(404);
    } finally {
      await receiver.stop();
    }
  });
});
