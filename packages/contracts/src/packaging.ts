import { z } from 'zod';
import { PACKAGING_METHODS } from './enums.js';
import { LIMITS } from './limits.js';
import { PackagingTaskNotification } from './notification.js';
import { clientId, list } from './primitives.js';
import { described, model } from './registry.js';

export const PackagingTaskDocument = model(
  z.strictObject({
    taskId: described(clientId(), 'A task of this order.'),
    documentIds: described(list(clientId(), LIMITS.documentIdsPerPackagingEntry, 1), 'Documents of that task.'),
  }),
  'PackagingTaskDocument',
  'Task documents whose signed results go into the package.',
);

export const PackagingTask = model(
  z.strictObject({
    id: described(clientId(), 'Client-chosen id, unique within the order; `{packagingTaskId}` in its paths.'),
    method: described(z.enum(PACKAGING_METHODS), 'Packaging method: PAdES.').default('pades'),
    sendToArchive: described(z.boolean(), 'Copy the package into the archive.').default(false),
    documents: list(PackagingTaskDocument, LIMITS.packagingDocumentsPerTask, 1),
    notifications: list(PackagingTaskNotification, LIMITS.notificationsPerList).optional(),
  }),
  'PackagingTask',
  'Combines the signed results of task documents into PAdES PDFs once every named document is signed.',
);

export type PackagingTask = z.infer<typeof PackagingTask>;
