import { ids } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../../../test/support/clients.js';
import { createOrder, simpleOrder } from '../../../test/support/orders.js';
import { startReceiver } from '../../../test/support/receiver.js';
import { signDocument, testSeal } from '../../../test/support/tasks.js';
import type { Timeline } from '../src/timeline/collect.js';
import { ops } from './run.js';

// `orders list|find` and `timeline` on the integration stack (the dev server's visibility and the real workers).
describe('ops orders and timeline', () => {
  const env = { ...inject('stack').env, TEMPORAL_UI_URL: 'http://temporal-ui.test' };
  let c: Awaited<ReturnType<typeof stackClients>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let orderId = '';
  const reference = `ops-${Date.now()}`;
  beforeAll(async () => {
    [c, receiver] = await Promise.all([stackClients(), startReceiver([200])]);
    const { order } = await simpleOrder('demo', { clientReference: reference });
    const notifications = [{ id: 'hook', type: 'URL', recipient: `${receiver.url}/hook`, message: 'open' }];
    const res = await createOrder('demo', { ...order, tasks: [{ ...order.tasks[0]!, notifications }] });
    expect(res.status).toBe(201);
    orderId = ((await res.json()) as { id: string }).id;
    await signDocument(c.temporal, orderId, 'signer1', 'doc1', testSeal());
  });
  afterAll(async () => {
    await receiver?.stop();
    await c?.close();
  });

  it('lists and finds orders by merchant, status, client reference and id', async () => {
    await expect.poll(() => receiver.calls.length, { timeout: 30_000 }).toBe(1);
    type Listed = {
      orders: Array<{ orderId: string; merchantId: string; clientReference: string; orderStatus: string; url: string }>;
    };
    await expect
      .poll(
        async () =>
          (await ops(['orders', 'list', '--merchant', 'demo-merchant', '--client-reference', reference, '--json'], env))
            .json<Listed>()
            .orders.map((o) => o.orderId),
        { timeout: 30_000 },
      )
      .toEqual([orderId]);
    const byRef = await ops(['orders', 'find', reference, '--json'], env);
    expect(byRef.code).toBe(0);
    expect(byRef.json<Listed>().orders[0]).toMatchObject({
      orderId,
      merchantId: 'demo-merchant',
      clientReference: reference,
    });
    expect(byRef.json<Listed>().orders[0]!.url).toMatch(
      new RegExp(`^http://temporal-ui.test/namespaces/default/workflows/order-${orderId}/`),
    );
    const byId = await ops(['orders', 'find', orderId], env);
    expect(byId.out).toContain(orderId);
    expect(byId.out).toContain('ORDER');
    const other = await ops(
      ['orders', 'list', '--merchant', 'other-merchant', '--client-reference', reference, '--json'],
      env,
    );
    expect(other.json<Listed>().orders).toEqual([]);
  });

  it('shows an order timeline: events, the delivery with its attempt, the workflows with UI links', async () => {
    await expect
      .poll(
        async () => (await ops(['timeline', orderId, '--json'], env)).json<Timeline>().deliveries[0]?.outcome?.outcome,
        { timeout: 30_000 },
      )
      .toBe('DELIVERED');
    const { code, json } = await ops(['timeline', orderId, '--json'], env);
    expect(code).toBe(0);
    const t = json<Timeline>();
    expect(t).toMatchObject({ orderId, merchantId: 'demo-merchant', clientReference: reference, readModel: 'present' });
    const deliveryId = ids.notification(orderId, { taskId: 'signer1' }, 'hook', 'CREATED-0');
    expect(t.deliveries).toEqual([
      expect.objectContaining({
        deliveryId,
        channel: 'URL',
        trigger: 'CREATED',
        taskId: 'signer1',
        redriveOf: null,
        ledger: 'sent',
      }),
    ]);
    expect(t.deliveries[0]!.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'DELIVERED' })]);
    expect(t.workflows.map((w) => w.workflowId)).toEqual(
      expect.arrayContaining([ids.order(orderId), ids.task(orderId, 'signer1'), deliveryId]),
    );
    for (const w of t.workflows) expect(w.url).toContain(`/workflows/${w.workflowId}/`);
    const events = t.tasks.find((x) => x.taskId === 'signer1')!.events.map((e) => e.eventType);
    expect(events).toEqual(
      expect.arrayContaining(['TASK_CREATED', 'NOTIFICATION_SENT', 'DOCUMENT_SIGNED', 'TASK_COMPLETED']),
    );
    expect(t.entries.map((e) => e.at)).toEqual([...t.entries.map((e) => e.at)].sort());

    const text = await ops(['timeline', orderId], env);
    expect(text.out).toContain(deliveryId);
    expect(text.out).toContain('URL notification hook (task signer1, CREATED): DELIVERED');

    // a delivered notification is not sent again
    const refused = await ops(['redrive', deliveryId, '--json'], env);
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({
      ok: false,
      error: `${deliveryId} was DELIVERED: a redrive would send it twice`,
    });
    expect(receiver.calls).toHaveLength(1);
  });

  it('fails clearly on an unknown order and on a wrong command', async () => {
    const unknown = await ops(['timeline', 'no-such-order', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.json()).toMatchObject({ ok: false, error: expect.stringContaining('no order no-such-order') });
    const usage = await ops(['orders', 'frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: npm run ops');
  });
});
