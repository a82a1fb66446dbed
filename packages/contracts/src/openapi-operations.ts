import type { JsonObject, ProblemStatus } from './openapi-components.js';
import { schemaRef } from './openapi-components.js';
import { EXAMPLE_SIGNING_ORDER } from './example-order.js';
import type { OperationId } from './operations.js';
import { UPLOAD_MEDIA_TYPES } from './enums.js';

// What each operation takes and answers. The errors listed are those the operation can produce; 401, 403, 429 and
// 503 apply everywhere, 404 wherever a path names a resource.

export interface OperationSpec {
  tag: Tag;
  summary: string;
  description: string;
  requestBody?: JsonObject;
  /** Header and query parameters by their name in components.parameters. */
  parameters?: string[];
  success: { status: number; description: string; content?: JsonObject };
  errors: ProblemStatus[];
}

const binary = (...types: string[]) =>
  Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
/** An upload: raw bytes, never empty (an empty body is a 400). */
const upload = (...types: string[]) =>
  Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary', minLength: 1 } }]));
const json = (schema: JsonObject) => ({ 'application/json': { schema } });
const listOf = (id: string) => json({ type: 'array', items: schemaRef(id) });

export const TAGS = [
  { name: 'Documents', description: 'Short-term storage of documents to sign (Session Data Storage).' },
  { name: 'Signing orders', description: 'Orders of one or more tasks, one per signer.' },
  { name: 'Tasks', description: 'Status, events and documents of one signer’s task.' },
  { name: 'Packaging tasks', description: 'Signed results combined into PAdES PDFs.' },
  { name: 'Archive', description: 'Long-term, immutable storage of results; survives order deletion.' },
] as const;

type Tag = (typeof TAGS)[number]['name'];

const UPLOAD_TYPES = [...UPLOAD_MEDIA_TYPES];
const READ = [404] satisfies ProblemStatus[];
const RESULT = [404, 409] satisfies ProblemStatus[];

export const OPERATION_SPECS: Record<OperationId, OperationSpec> = {
  uploadDocument: {
    tag: 'Documents',
    summary: 'Upload a document',
    description:
      'The raw file is the body: a PDF (`application/pdf`, starting with `%PDF-`) or UTF-8 text (`text/plain`). ' +
      'An upload no signing order references is deleted 30 minutes after upload.',
    requestBody: { required: true, content: upload(...UPLOAD_TYPES) },
    success: { status: 201, description: 'Stored.', content: json(schemaRef('DocumentUploadResponse')) },
    errors: [400, 413, 415],
  },
  getDocument: {
    tag: 'Documents',
    summary: 'Download an uploaded document',
    description: 'The exact bytes uploaded, with their content type.',
    success: { status: 200, description: 'The document.', content: binary(...UPLOAD_TYPES) },
    errors: READ,
  },
  deleteDocument: {
    tag: 'Documents',
    summary: 'Delete an uploaded document',
    description: 'Deletes an upload.',
    success: { status: 204, description: 'Deleted.' },
    errors: READ,
  },
  createSigningOrder: {
    tag: 'Signing orders',
    summary: 'Create a signing order',
    description:
      'Validates every field and reports all violations at once; answers the order as stored. Unknown fields are ' +
      'ignored and named in the response header `X-Sign-Ignored-Fields` (comma-separated property paths).',
    parameters: ['IdempotencyKey'],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: schemaRef('SigningOrder'),
          examples: { order: { value: EXAMPLE_SIGNING_ORDER } },
        },
      },
    },
    success: { status: 201, description: 'Created.', content: json(schemaRef('SigningOrderResponse')) },
    errors: [400, 409, 413, 415],
  },
  getSigningOrder: {
    tag: 'Signing orders',
    summary: 'Read a signing order',
    description: 'The order as stored, with each task’s current status.',
    success: { status: 200, description: 'The order.', content: json(schemaRef('SigningOrderResponse')) },
    errors: READ,
  },
  deleteSigningOrder: {
    tag: 'Signing orders',
    summary: 'Delete a signing order',
    description:
      'Open tasks become DELETED, notifications stop and every non-archived document of the order is deleted.',
    success: { status: 204, description: 'Deleted.' },
    errors: READ,
  },
  getTaskStatus: {
    tag: 'Tasks',
    summary: 'Read a task’s status',
    description: 'Status and per-document links (`originalUri`, `resultUri` once signed, `archiveId` once archived).',
    success: { status: 200, description: 'The status.', content: json(schemaRef('TaskStatusInfo')) },
    errors: READ,
  },
  getTaskEvents: {
    tag: 'Tasks',
    summary: 'List a task’s events',
    description: 'Oldest first.',
    parameters: ['EventTypes'],
    success: { status: 200, description: 'The events.', content: listOf('Event') },
    errors: READ,
  },
  getTaskForwards: {
    tag: 'Tasks',
    summary: 'List a task’s forwards',
    description:
      'Each time a signer handed the task to another person in the signing portal (where its signing configuration ' +
      'allows it), oldest first. A forwarded task keeps its id: `taskId` and `originalTaskId` are the same.',
    success: { status: 200, description: 'The forwards.', content: listOf('TaskForwardDetails') },
    errors: READ,
  },
  getTaskDocumentOriginal: {
    tag: 'Tasks',
    summary: 'Download a task document’s original',
    description: 'The uploaded bytes.',
    success: { status: 200, description: 'The original.', content: binary(...UPLOAD_TYPES) },
    errors: READ,
  },
  getTaskDocumentGenerated: {
    tag: 'Tasks',
    summary: 'Download the PDF the signer was shown',
    description: 'For a PDF, the original; for text, its PDF rendering.',
    success: { status: 200, description: 'The PDF.', content: binary('application/pdf') },
    errors: READ,
  },
  getTaskDocumentResult: {
    tag: 'Tasks',
    summary: 'Download a task document’s signed result',
    description: 'The signed PDF (PAdES); 409 while the task is not completed.',
    success: { status: 200, description: 'The signed result.', content: binary('application/pdf') },
    errors: RESULT,
  },
  getPackagingTaskStatus: {
    tag: 'Packaging tasks',
    summary: 'Read a packaging task’s status',
    description: 'Status, result link once COMPLETED and `archiveId` once archived.',
    success: { status: 200, description: 'The status.', content: json(schemaRef('PackagingTaskStatusInfo')) },
    errors: READ,
  },
  getPackagingTaskResult: {
    tag: 'Packaging tasks',
    summary: 'Download a packaging task’s result',
    description: 'The PDF carrying every named signer’s signature; 409 while the packaging task is not completed.',
    success: { status: 200, description: 'The package.', content: binary('application/pdf') },
    errors: RESULT,
  },
  getArchiveDocument: {
    tag: 'Archive',
    summary: 'Download an archived document',
    description: 'Archived documents survive the deletion of their signing order.',
    success: { status: 200, description: 'The archived document.', content: binary('application/pdf') },
    errors: READ,
  },
  deleteArchiveDocument: {
    tag: 'Archive',
    summary: 'Delete an archived document',
    description: 'Deletes an archived document.',
    success: { status: 204, description: 'Deleted.' },
    errors: READ,
  },
};
