import { z } from 'zod';
import { TaskStatus } from './enums.js';
import { signingOrderFields } from './order.js';
import { described, model } from './registry.js';
import { Task } from './task.js';

export const SigningOrderTask = model(
  z.object({
    ...Task.shape,
    signingUrl: described(z.string(), 'Where to send the signer (the task URL).', 'uri'),
    // Extension: the task's current status. The shared enum is referenced as is: registering a description on it
    // would replace its component name.
    status: TaskStatus,
    artifact: described(
      z.string(),
      'Extension: the task’s single-sign-on artifact, in the creation answer of a task with ' +
        '`authentication.artifact` (append `&artifact=<it>` to `signingUrl`; valid once, for ' +
        '`ARTIFACT_LIFETIME_SECONDS`).',
    ).optional(),
  }),
  'SigningOrderTask',
  'A task as stored, with its signing URL and current status.',
);

export const SigningOrderResponse = model(
  z.object({
    id: described(z.string(), 'The order id, `{orderId}` in the order paths.'),
    ...signingOrderFields,
    tasks: z.array(SigningOrderTask),
    artifact: described(
      z.string(),
      'Single-sign-on artifact of the first task with `authentication.artifact`, in the creation answer only.',
    ).optional(),
  }),
  'SigningOrderResponse',
  'A signing order as stored: every client-chosen id echoed, defaults applied.',
);

export type SigningOrderTask = z.infer<typeof SigningOrderTask>;
export type SigningOrderResponse = z.infer<typeof SigningOrderResponse>;
