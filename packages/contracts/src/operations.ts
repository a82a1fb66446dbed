// The operations of the public API (contract §3, §4, §8; facts §2), paths relative to the API base path. The one
// list the OpenAPI document and the gateway's routes are both checked against. `available` says whether this
// server implements the operation yet: flip it here when an issue implements one, and the document follows.

export type HttpMethod = 'get' | 'post' | 'delete';

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/orders/{orderId}`. */
  path: string;
  available: boolean;
}

export const OPERATIONS = [
  { operationId: 'uploadDocument', method: 'post', path: '/documents', available: true },
  { operationId: 'getDocument', method: 'get', path: '/documents/{documentId}', available: true },
  { operationId: 'deleteDocument', method: 'delete', path: '/documents/{documentId}', available: true },
  { operationId: 'createSigningOrder', method: 'post', path: '/orders', available: true },
  { operationId: 'getSigningOrder', method: 'get', path: '/orders/{orderId}', available: true },
  { operationId: 'deleteSigningOrder', method: 'delete', path: '/orders/{orderId}', available: true },
  { operationId: 'getTaskStatus', method: 'get', path: '/orders/{orderId}/tasks/{taskId}/status', available: true },
  { operationId: 'getTaskEvents', method: 'get', path: '/orders/{orderId}/tasks/{taskId}/events', available: true },
  {
    operationId: 'getTaskForwards',
    method: 'get',
    path: '/orders/{orderId}/tasks/{taskId}/forwards',
    available: true,
  },
  {
    operationId: 'getTaskDocumentOriginal',
    method: 'get',
    path: '/orders/{orderId}/tasks/{taskId}/documents/{documentId}/original',
    available: true,
  },
  {
    operationId: 'getTaskDocumentGenerated',
    method: 'get',
    path: '/orders/{orderId}/tasks/{taskId}/documents/{documentId}/generated',
    available: true,
  },
  {
    operationId: 'getTaskDocumentResult',
    method: 'get',
    path: '/orders/{orderId}/tasks/{taskId}/documents/{documentId}/result',
    available: true,
  },
  {
    operationId: 'getPackagingTaskStatus',
    method: 'get',
    path: '/orders/{orderId}/packaging-tasks/{packagingTaskId}/status',
    available: true,
  },
  {
    operationId: 'getPackagingTaskResult',
    method: 'get',
    path: '/orders/{orderId}/packaging-tasks/{packagingTaskId}/result',
    available: true,
  },
  { operationId: 'getArchiveDocument', method: 'get', path: '/archive-documents/{archiveId}', available: true },
  { operationId: 'deleteArchiveDocument', method: 'delete', path: '/archive-documents/{archiveId}', available: true },
] as const satisfies readonly Operation[];

export type OperationId = (typeof OPERATIONS)[number]['operationId'];

/** `/orders/{orderId}` → `/orders/:orderId`, the form express routes use. */
export const expressPath = (path: string): string => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');

/** The path parameter names of a path template, in order. */
export const pathParameters = (path: string): string[] => [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!);
