import { z } from 'zod';
import { NotificationType, PackagingTriggerStatus, TaskTriggerStatus } from './enums.js';
import { LIMITS } from './limits.js';
import { clientId, intRange, line, list, text } from './primitives.js';
import { described, model } from './registry.js';

// Notifications (contract §5, facts §3.6–3.8). What `recipient` and `sender` must look like depends on `type`;
// those rules are cross-field checks (see rules-notifications.ts) and are spelled out in the descriptions here.

export const Delay = model(
  z.strictObject({
    days: intRange(0, LIMITS.delay.days).optional(),
    hours: intRange(0, LIMITS.delay.hours).optional(),
    minutes: intRange(0, LIMITS.delay.minutes).optional(),
  }),
  'Delay',
  'Time to wait after the trigger; the notification is sent only if the task is still in the trigger status then.',
);

export const TaskNotificationSchedule = model(
  z.strictObject({ triggerStatus: TaskTriggerStatus, delay: Delay.optional() }),
  'TaskNotificationSchedule',
  'When a task notification is sent.',
);

export const PackagingTaskNotificationSchedule = model(
  z.strictObject({ triggerStatus: PackagingTriggerStatus }),
  'PackagingTaskNotificationSchedule',
  'When a packaging task notification is sent.',
);

const RECIPIENT =
  'EMAIL: an e-mail address. SMS: an E.164 phone number, `+` country code and number without spaces ' +
  '(`+4791234567`). URL: an absolute http(s) URL, called with GET and the query parameters `requestId`, `taskId` ' +
  '(or `packagingTaskId`) and `message`.';
const SENDER =
  'EMAIL: an address, optionally with a display name (`Example <noreply@example.test>`). SMS: an E.164 number or ' +
  '1 to 11 letters and digits, at least one a letter. Ignored for URL. Defaults to the server configuration.';
const MESSAGE = `Required for EMAIL and SMS (at most ${LIMITS.smsMessage} characters for SMS).`;
const PLACEHOLDERS = ' Placeholders: `${orderId}`, `${clientRef}`, `${taskUrl}`, `${signCode}`, `${signCodeUrl}`.';

const notificationFields = (placeholders: boolean) => ({
  id: described(clientId(), 'Client-chosen id, unique within its list of notifications.'),
  type: NotificationType,
  recipient: described(line(LIMITS.url).min(1, { error: 'must not be empty' }), RECIPIENT),
  sender: described(line(LIMITS.shortText), SENDER).optional(),
  header: described(line(LIMITS.header), 'E-mail subject.' + (placeholders ? PLACEHOLDERS : '')).optional(),
  message: described(text(LIMITS.longText), MESSAGE + (placeholders ? PLACEHOLDERS : '')).optional(),
});

export const TaskNotification = model(
  z.strictObject({
    ...notificationFields(true),
    schedule: list(TaskNotificationSchedule, LIMITS.schedulesPerNotification).optional(),
  }),
  'TaskNotification',
  'A notification about one task, sent on each schedule entry.',
);

export const SigningOrderNotification = model(
  z.strictObject(notificationFields(true)),
  'SigningOrderNotification',
  'A notification sent once, when every task of the order is COMPLETED.',
);

export const PackagingTaskNotification = model(
  z.strictObject({
    ...notificationFields(false),
    schedule: list(PackagingTaskNotificationSchedule, LIMITS.schedulesPerNotification).optional(),
  }),
  'PackagingTaskNotification',
  'A notification about a packaging task; no placeholders are substituted.',
);

export type Delay = z.infer<typeof Delay>;
export type TaskNotification = z.infer<typeof TaskNotification>;
export type SigningOrderNotification = z.infer<typeof SigningOrderNotification>;
export type PackagingTaskNotification = z.infer<typeof PackagingTaskNotification>;
