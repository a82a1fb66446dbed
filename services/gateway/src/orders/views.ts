import type { OrderRecord } from '@esign/order-store';

/** `GET /orders/{id}` and the 201 of `POST /orders`: the order as stored, with ids, signing URLs and statuses. */
export function orderView(record: OrderRecord): Record<string, unknown> {
  const tasks = (record.order.tasks as Array<Record<string, unknown>>).map((task) => {
    const id = task.id as string;
    return { ...task, signingUrl: record.signingUrls[id], status: record.tasks[id]?.status ?? 'CREATED' };
  });
  return { id: record.orderId, ...record.order, tasks };
}

/** `GET …/tasks/{taskId}/status` (TaskStatusInfo): the status and where each document is read. */
export function taskStatusView(record: OrderRecord, taskId: string, basePath: string): Record<string, unknown> {
  const task = record.tasks[taskId]!;
  const base = `${basePath}/orders/${record.orderId}/tasks/${taskId}/documents`;
  return {
    orderId: record.orderId,
    taskId,
    taskStatus: task.status,
    ...(record.clientReference ? { clientReference: record.clientReference } : {}),
    documents: task.documents.map((d) => ({
      id: d.documentId,
      originalUri: `${base}/${d.documentId}/original`,
      ...(d.contentType === 'application/pdf' || task.results?.[d.documentId]
        ? { generatedUri: `${base}/${d.documentId}/generated` }
        : {}),
      ...(task.results?.[d.documentId] ? { resultUri: `${base}/${d.documentId}/result` } : {}),
    })),
  };
}
