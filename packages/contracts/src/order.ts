import { z } from 'zod';
import { LIMITS } from './limits.js';
import { SigningOrderNotification } from './notification.js';
import { PackagingTask } from './packaging.js';
import { clientId, httpUrl, intRange, line, list, text } from './primitives.js';
import { described, model } from './registry.js';
import { Task } from './task.js';

export const NotificationTemplateParams = model(
  z.strictObject({
    id: clientId().optional(),
    footer: text(LIMITS.description).optional(),
    button: line(LIMITS.name).optional(),
    linkText: line(LIMITS.shortText).optional(),
    logoUrl: httpUrl('Logo shown in e-mail notifications.').optional(),
  }),
  'NotificationTemplateParams',
  'Customises e-mail notification templates.',
);

const DELETION = LIMITS.daysUntilDeletion;

/** The fields a client sends; the response adds server fields (see SigningOrderResponse). */
export const signingOrderFields = {
  clientReference: described(
    line(LIMITS.clientReference).min(1, { error: `must be 1 to ${LIMITS.clientReference} characters` }),
    'Opaque client reference, returned as given.',
  ).optional(),
  tasks: described(list(Task, LIMITS.tasks, 1), 'One task per signer; ids unique within the order.'),
  notifications: list(SigningOrderNotification, LIMITS.notificationsPerList).optional(),
  daysUntilDeletion: described(
    intRange(DELETION.min, DELETION.max),
    'Days after the latest task expiry until the order and its non-archived documents are deleted.',
  ).default(DELETION.default),
  packagingTasks: list(PackagingTask, LIMITS.packagingTasks).optional(),
  notificationTemplateParams: list(NotificationTemplateParams, LIMITS.notificationTemplateParams).optional(),
};

export const SigningOrder = model(
  z.strictObject(signingOrderFields),
  'SigningOrder',
  'A signing order: one or more tasks (one per signer) over uploaded documents. Unknown fields are accepted, ' +
    'ignored and named in the response header `X-Sign-Ignored-Fields`. A field sent as `null`, an empty optional ' +
    'list and `0` in `daysToLive` or `daysUntilDeletion` count as absent. The response-only fields `id`, ' +
    '`artifact`, `tasks[].signingUrl` and `tasks[].status` are accepted and ignored, so an order read back can be ' +
    'sent again.',
);

export type SigningOrder = z.infer<typeof SigningOrder>;
export type SigningOrderInput = z.input<typeof SigningOrder>;
