import { ids, type NotificationDeliveryOutcome, type TaskNotificationPlan } from '@esign/temporal-contracts';
import { signingUrlOf } from '@esign/order-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailTo, uniqueAddress } from '../../test/support/inbox.js';
import { startReceiver } from '../../test/support/receiver.js';
import { MERCHANT, startOrderEnv, task, type OrderEnv } from './support/order-env.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SETTINGS = { urlRetryIntervalMs: 10 * MINUTE, urlRetryWindowMs: 24 * HOUR };

// Notification timing on the time-skipping server, with the real notification activities (SMTP to the integration
// stack's MailDev, URL calls to a local receiver): the 24-hour URL retry window and delayed reminders.
describe('notificationDelivery', () => {
  let o: OrderEnv;
  beforeAll(async () => {
    o = await startOrderEnv({ notifications: true });
  });
  afterAll(async () => {
    await o?.stop();
  });

  const urlNotification = (recipient: string): TaskNotificationPlan => ({
    id: 'hook',
    type: 'URL',
    recipient,
    message: 'task ${taskId} of ${orderId}',
    schedule: [{ triggerStatus: 'CREATED', delayMs: 0 }],
  });

  async function orderWith(plans: Record<string, TaskNotificationPlan[]>) {
    const tasks = [];
    for (const [taskId, notifications] of Object.entries(plans)) {
      tasks.push(task(taskId, [(await o.upload()).documentId], { notifications }));
    }
    const input = { ...(await o.input(tasks)), notify: SETTINGS };
    expect(await o.create(input)).toEqual({ created: true });
    return input;
  }

  /** The delivery's outcome, once its task has started it (a moment after the order was created). */
  async function outcome(orderId: string, taskId: string, id: string, trigger: string) {
    const handle = o.client.workflow.getHandle(ids.notification(orderId, { taskId }, id, trigger));
    await expect
      .poll(() =>
        handle.describe().then(
          () => true,
          () => false,
        ),
      )
      .toBe(true);
    return (await handle.result()) as NotificationDeliveryOutcome;
  }

  // First in the file: a time skip of days after 'skips a CREATED + 3 days reminder…' never ends on the time-skipping
  // server (a plain 3-day reminder placed after it waits out the test's timeout too; not caused by forwarding).
  it('hands a forwarded task to its new signer: new sign code, FORWARDED notifications, no reminder to the old one', async () => {
    const receiver = await startReceiver([200, 200]);
    try {
      const [forwarder, recipient, colleague] = [
        uniqueAddress('fwd-from'),
        uniqueAddress('fwd-to'),
        uniqueAddress('fwd-2'),
      ];
      const plans: TaskNotificationPlan[] = [
        {
          id: 'reminder',
          type: 'EMAIL',
          recipient: forwarder,
          header: 'Reminder',
          message: 'Please sign: ${taskUrl}',
          schedule: [{ triggerStatus: 'CREATED', delayMs: 3 * DAY }],
        },
        {
          id: 'hook',
          type: 'URL',
          recipient: `${receiver.url}/forwarded`,
          message: 'forwarded ${taskId}',
          schedule: [{ triggerStatus: 'FORWARDED', delayMs: 0 }],
        },
      ];
      const input = await orderWith({ t1: plans });
      const before = (await o.orders.getOrder(MERCHANT, input.orderId))!;
      const firstCode = before.signCodes!.t1!;
      const invitation = { header: 'For you', message: 'Ola Nordmann forwarded this: ${taskUrl}' };
      const forward = {
        forwarderName: 'Ola Nordmann',
        forwarderEmail: forwarder,
        recipientName: 'Kari Nordmann',
        recipientEmail: recipient,
      };
      expect(await o.act(input.orderId, 't1', { type: 'FORWARDED', forward, invitation })).toEqual({
        taskStatus: 'CREATED',
      });

      // The read model: the forward's details, a new sign code, and the old one naming the task as forwarded.
      const after = (await o.orders.getOrder(MERCHANT, input.orderId))!;
      expect(after.tasks.t1!.forwards).toEqual([{ ...forward, at: expect.any(String) }]);
      const secondCode = after.signCodes!.t1!;
      expect(secondCode).not.toBe(firstCode);
      expect(await o.orders.resolveSignCode(firstCode)).toMatchObject({ taskId: 't1', forwarded: true });
      expect(await o.orders.resolveSignCode(secondCode)).toEqual({
        merchantId: MERCHANT,
        orderId: input.orderId,
        taskId: 't1',
      });
      // The new signer's invitation (no FORWARDED e-mail of the merchant's) carries the new link, and only it.
      expect(await outcome(input.orderId, 't1', 'forward', '1-EMAIL')).toEqual({ outcome: 'SENT', attempts: 1 });
      const [mail] = await mailTo(recipient);
      expect(mail!.subject).toBe('For you');
      expect(mail!.text).toContain(`sign_code=${secondCode}`);
      expect(mail!.text).not.toContain(firstCode);
      // The merchant's FORWARDED callback, once.
      expect(await outcome(input.orderId, 't1', 'hook', 'FORWARDED-1-0')).toEqual({
        outcome: 'DELIVERED',
        attempts: 1,
      });
      expect(receiver.calls.map((c) => c.url.pathname)).toEqual(['/forwarded']);
      // The CREATED + 3 days reminder was for the forwarder: not sent (its link would be the new signer's).
      expect(await outcome(input.orderId, 't1', 'reminder', 'CREATED-0')).toEqual({
        outcome: 'SKIPPED',
        reason: 'forwarded-since',
      });
      expect(await mailTo(forwarder)).toHaveLength(0);

      // Forwarded again, to a mobile and an e-mail: the second forward's code, its own deliveries.
      const again = { forwarderName: 'Kari Nordmann', recipientName: 'Per', recipientEmail: colleague };
      await o.act(input.orderId, 't1', { type: 'FORWARDED', forward: again, invitation });
      const third = (await o.orders.getOrder(MERCHANT, input.orderId))!;
      expect(third.tasks.t1!.forwards!.map((f) => f.recipientName)).toEqual(['Kari Nordmann', 'Per']);
      expect(await o.orders.resolveSignCode(secondCode)).toMatchObject({ forwarded: true });
      expect(await outcome(input.orderId, 't1', 'forward', '2-EMAIL')).toEqual({ outcome: 'SENT', attempts: 1 });
      expect((await mailTo(colleague))[0]!.text).toContain(`sign_code=${third.signCodes!.t1}`);
      expect(await outcome(input.orderId, 't1', 'hook', 'FORWARDED-2-0')).toEqual({
        outcome: 'DELIVERED',
        attempts: 1,
      });

      const events = (await o.orders.getEvents(MERCHANT, input.orderId, 't1'))!;
      const forwarded = events.filter((e) => e.eventType === 'TASK_FORWARDED');
      expect(forwarded).toHaveLength(2);
      // No personal data in the events: the details are /forwards' alone.
      expect(JSON.stringify(events)).not.toContain('Nordmann');
      await o.recordHistories('task-forwarded', [ids.task(input.orderId, 't1')]);
    } finally {
      await receiver.stop();
    }
  });

  it('retries a failing receiver every interval for 24 hours, then records an ERROR and stops', async () => {
    const receiver = await startReceiver([503]);
    try {
      const input = await orderWith({ t1: [urlNotification(`${receiver.url}/hook`)] });
      const result = await outcome(input.orderId, 't1', 'hook', 'CREATED-0');
      // attempts at 0, 10 min, …, 24 h: 145, none after the window
      expect(result).toMatchObject({ outcome: 'FAILED', attempts: 145 });
      expect(receiver.calls).toHaveLength(145);
      expect(new Set(receiver.calls.map((c) => c.headers['x-sign-delivery-id'])).size).toBe(1);

      const history = await o.client.workflow
        .getHandle(ids.notification(input.orderId, { taskId: 't1' }, 'hook', 'CREATED-0'))
        .fetchHistory();
      const scheduled = history
        .events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'callUrl')
        .map((e) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
      expect(scheduled).toHaveLength(145);
      const gaps = scheduled.slice(1).map((t, i) => t - scheduled[i]!);
      for (const gap of gaps) expect(Math.abs(gap - 10 * MINUTE)).toBeLessThan(MINUTE);
      // the last at the 24-hour mark (give or take a workflow task's latency), none at 24 h + 10 min
      expect(Math.abs(scheduled.at(-1)! - scheduled[0]! - 24 * HOUR)).toBeLessThan(1000);

      const events = await o.orders.getEvents(MERCHANT, input.orderId, 't1');
      const error = events!.find((e) => e.eventType === 'ERROR');
      expect(error?.data).toMatch(/URL notification hook \(CREATED\): given up after 145 attempts in 24 h/);
      expect(events!.some((e) => e.eventType === 'NOTIFICATION_SENT')).toBe(false);
    } finally {
      await receiver.stop();
    }
  });

  it('delivers once after three failures, with the same delivery id on every attempt', async () => {
    const receiver = await startReceiver([503, 500, 404, 200]);
    try {
      const input = await orderWith({ t1: [urlNotification(`${receiver.url}/hook`)] });
      expect(await outcome(input.orderId, 't1', 'hook', 'CREATED-0')).toEqual({ outcome: 'DELIVERED', attempts: 4 });
      expect(receiver.calls).toHaveLength(4);
      expect(new Set(receiver.calls.map((c) => c.headers['x-sign-delivery-id']))).toEqual(
        new Set([ids.notification(input.orderId, { taskId: 't1' }, 'hook', 'CREATED-0')]),
      );
      expect(receiver.calls[0]!.url.searchParams.get('message')).toBe(`task \${taskId} of ${input.orderId}`);
      const sent = (await o.orders.getEvents(MERCHANT, input.orderId, 't1'))!.filter(
        (e) => e.eventType === 'NOTIFICATION_SENT',
      );
      expect(sent).toHaveLength(1);
      await o.recordHistories('notification-url-retries', [
        ids.task(input.orderId, 't1'),
        ids.notification(input.orderId, { taskId: 't1' }, 'hook', 'CREATED-0'),
      ]);
    } finally {
      await receiver.stop();
    }
  });

  it('skips a CREATED + 3 days reminder for a task signed on day 1 and sends it for one still open', async () => {
    const [signed, open] = [uniqueAddress('signed'), uniqueAddress('open')];
    const reminder = (recipient: string): TaskNotificationPlan => ({
      id: 'reminder',
      type: 'EMAIL',
      recipient,
      header: 'Reminder',
      message: 'Please sign: ${taskUrl}',
      schedule: [{ triggerStatus: 'CREATED', delayMs: 3 * DAY }],
    });
    const input = await orderWith({ t1: [reminder(signed)], t2: [reminder(open)] });
    await o.env.sleep(DAY);
    await o.act(input.orderId, 't1', { type: 'COMPLETED' });

    const skipped = await outcome(input.orderId, 't1', 'reminder', 'CREATED-0');
    const sent = await outcome(input.orderId, 't2', 'reminder', 'CREATED-0');
    expect(skipped).toEqual({ outcome: 'SKIPPED', reason: 'left-trigger-status' });
    expect(sent).toEqual({ outcome: 'SENT', attempts: 1 });
    expect(await mailTo(signed)).toHaveLength(0);
    const [mail] = await mailTo(open);
    const record = (await o.orders.getOrder(MERCHANT, input.orderId))!;
    expect(mail!.text).toContain(`Please sign: ${signingUrlOf(record, 't2', o.config.signingPortalUrl)}`);
    expect(mail!.text).toContain(`sign_code=${record.signCodes!.t2}`);
    const types = async (taskId: string) =>
      (await o.orders.getEvents(MERCHANT, input.orderId, taskId))!.map((e) => e.eventType);
    expect(await types('t1')).not.toContain('NOTIFICATION_SENT');
    expect(await types('t2')).toContain('NOTIFICATION_SENT');
    await o.recordHistories('notification-reminder', [
      ids.notification(input.orderId, { taskId: 't1' }, 'reminder', 'CREATED-0'),
      ids.notification(input.orderId, { taskId: 't2' }, 'reminder', 'CREATED-0'),
    ]);
  });
});
