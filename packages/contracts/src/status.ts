import { z } from 'zod';
import { InputParam } from './document.js';
import { EventType, PackagingTaskStatus, TaskStatus } from './enums.js';
import { described, model } from './registry.js';

// Response models of the status, events and forwards reads (facts §3.12–3.15, contract §4 and §8). Lenient
// (unknown fields allowed) because they document what the server sends; clients must tolerate additions.

// The status links are paths on the API origin (`/enterprise/sign/orders/…`), so URI references, not absolute URIs.
const uri = (description: string) => described(z.string(), description, 'uri-reference');

export const TaskStatusDocument = model(
  z.object({
    id: z.string(),
    originalUri: uri('Where the original document is read.'),
    generatedUri: uri('Where the PDF shown to the signer is read.').optional(),
    resultUri: uri('Where the signed result is read; present once signed.').optional(),
    archiveId: described(z.string(), 'Extension: archive id once the result is archived.').optional(),
    formOutputParam: z.array(InputParam).optional(),
  }),
  'TaskStatusDocument',
  'A task document in the task status.',
);

export const TaskStatusInfo = model(
  z.object({
    orderId: z.string(),
    taskId: z.string(),
    taskStatus: TaskStatus,
    clientReference: z.string().optional(),
    clientStatus: z.string().optional(),
    documents: z.array(TaskStatusDocument),
  }),
  'TaskStatusInfo',
  'Status of a task and links to its documents.',
);

export const PackagingTaskStatusInfo = model(
  z.object({
    orderId: z.string(),
    packagingTaskId: z.string(),
    packagingTaskStatus: PackagingTaskStatus,
    packagingTaskResultUri: uri('Where the package is read; present once COMPLETED.').optional(),
    archiveId: described(z.string(), 'Extension: archive id once the package is archived.').optional(),
  }),
  'PackagingTaskStatusInfo',
  'Status of a packaging task.',
);

export const Event = model(
  z.object({
    eventType: EventType,
    eventTime: described(z.iso.datetime({ offset: true }), 'When it happened (ISO 8601 with offset).'),
    data: z.string().optional(),
  }),
  'Event',
  'Something that happened on a task.',
);

export const TaskForwardDetails = model(
  z.object({
    orderId: z.string(),
    taskId: z.string(),
    originalTaskId: z.string(),
    forwarderName: z.string().optional(),
    forwarderEmail: z.string().optional(),
    recipientName: z.string().optional(),
    recipientEmail: z.string().optional(),
    recipientMobile: z.string().optional(),
  }),
  'TaskForwardDetails',
  'A forward of a task to another signer.',
);

export const DocumentUploadResponse = model(
  z.object({ documentId: described(z.string(), 'Opaque id to use as `documentRef`.') }),
  'DocumentUploadResponse',
  'The stored upload.',
);

export type TaskStatusInfo = z.infer<typeof TaskStatusInfo>;
export type PackagingTaskStatusInfo = z.infer<typeof PackagingTaskStatusInfo>;
export type Event = z.infer<typeof Event>;
export type TaskForwardDetails = z.infer<typeof TaskForwardDetails>;
export type DocumentUploadResponse = z.infer<typeof DocumentUploadResponse>;
