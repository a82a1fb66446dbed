import { DeliveryLedger } from '@esign/notification';
import { ids, type NotificationDeliveryOutcome } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startReceiver } from '../../../test/support/receiver.js';
import { MERCHANT, startOrderEnv, task, type OrderEnv } from '../../../workflows/test/support/order-env.js';
import type { Timeline } from '../src/timeline/collect.js';
import { ops } from './run.js';

const HOUR = 3_600_000;

// A URL callback whose receiver is down for the whole 24-hour retry window ends in ERROR; the operator redrives it
// once the receiver is back. On the time-skipping server, with the real notification and storage activities.
describe('ops redrive', () => {
  let o: OrderEnv;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    o = await startOrderEnv({ notifications: true });
    env = { ...inject('stack').env, TEMPORAL_ADDRESS: o.env.address };
  });
  afterAll(async () => {
    await o?.stop();
  });

  it('sends a delivery that failed for 24 hours again as a new delivery, and the timeline shows both', async () => {
    const receiver = await startReceiver([503]);
    try {
      const hook = { id: 'hook', type: 'URL' as const, recipient: `${receiver.url}/hook`, message: 'signed' };
      const input = {
        ...(await o.input([
          task('t1', [(await o.upload()).documentId], {
            notifications: [{ ...hook, schedule: [{ triggerStatus: 'CREATED', delayMs: 0 }] }],
          }),
        ])),
        notify: { urlRetryIntervalMs: 10 * 60_000, urlRetryWindowMs: 24 * HOUR },
      };
      expect(await o.create(input)).toEqual({ created: true });
      const original = ids.notification(input.orderId, { taskId: 't1' }, 'hook', 'CREATED-0');
      await expect
        .poll(() =>
          o.client.workflow
            .getHandle(original)
            .describe()
            .then(
              () => true,
              () => false,
            ),
        )
        .toBe(true);
      const failed = (await o.client.workflow.getHandle(original).result()) as NotificationDeliveryOutcome;
      expect(failed).toMatchObject({ outcome: 'FAILED', attempts: 145 });

      // a delivery whose last attempt may have reached the recipient (the ledger says `sending`) needs --force
      const ledger = new DeliveryLedger({ redis: o.redis, keyPrefix: o.config.redis.keyPrefix });
      await ledger.claim(MERCHANT, original, new Date());
      const uncertain = await ops(['redrive', original, '--json'], env);
      expect(uncertain.code).toBe(1);
      expect(uncertain.json()).toMatchObject({ error: expect.stringContaining('pass --force') });
      await o.redis.del(ledger.key(MERCHANT, original));

      // the receiver is back: the operator redrives
      receiver.answer([200]);
      const started = await ops(['redrive', original, '--json'], env);
      expect(started.code, started.err).toBe(0);
      const redriveId = ids.redrive(original, 1);
      expect(started.json()).toMatchObject({ redriveOf: original, deliveryId: redriveId });
      expect(await o.client.workflow.getHandle(redriveId).result()).toEqual({ outcome: 'DELIVERED', attempts: 1 });
      const last = receiver.calls.at(-1)!;
      expect(receiver.calls).toHaveLength(146);
      expect(last.headers['x-sign-delivery-id']).toBe(redriveId);
      expect(last.headers['x-sign-redrive-of']).toBe(original);
      expect(last.url.searchParams.get('requestId')).toBe(input.orderId);

      const timeline = await ops(['timeline', input.orderId, '--json'], env);
      expect(timeline.code, timeline.err).toBe(0);
      const t = timeline.json<Timeline>();
      expect(
        t.deliveries.map((d) => [d.deliveryId, d.redriveOf, d.outcome?.outcome, d.attempts.length, d.ledger]),
      ).toEqual([
        [original, null, 'FAILED', 145, null],
        [redriveId, original, 'DELIVERED', 1, 'sent'],
      ]);
      expect(t.deliveries[0]!.attempts.at(-1)).toMatchObject({ outcome: 'FAILED', reason: 'HTTP 503' });
      expect(t.workflows.map((w) => w.workflowId)).toEqual(expect.arrayContaining([original, redriveId]));
      const events = (await o.orders.getEvents(MERCHANT, input.orderId, 't1'))!;
      expect(events.filter((e) => e.eventType === 'ERROR').map((e) => e.data)).toEqual([
        expect.stringMatching(/^URL notification hook \(CREATED\): given up after 145 attempts in 24 h/),
      ]);
      expect(events.filter((e) => e.eventType === 'NOTIFICATION_SENT').map((e) => e.data)).toEqual([
        `URL notification hook (CREATED), redrive of ${original}`,
      ]);
      expect(t.tasks.find((x) => x.taskId === 't1')!.events).toEqual(events);

      // delivered now: neither the original nor the redrive is sent a third time
      const again = await ops(['redrive', original, '--json'], env);
      expect(again.code).toBe(1);
      expect(again.json()).toMatchObject({ error: `${redriveId} was DELIVERED: a redrive would send it twice` });
      expect(receiver.calls).toHaveLength(146);
    } finally {
      await receiver.stop();
    }
  });
});
