import { signingUrlOf, taskDefinition, type OrderRecord } from '@esign/order-store';
import { own } from '@esign/temporal-contracts';

/** `GET /orders/{id}` and the 201 of `POST /orders`: the order as stored, with ids, signing URLs and statuses. */
export function orderView(record: OrderRecord, portalUrl: string): Record<string, unknown> {
  const tasks = (record.order.tasks as Array<Record<string, unknown>>).map((task) => {
    const id = task.id as string;
    return {
      ...task,
      signingUrl: signingUrlOf(record, id, portalUrl),
      status: own(record.tasks, id)?.status ?? 'CREATED',
    };
  });
  return { id: record.orderId, ...record.order, tasks };
}

/** `GET …/tasks/{taskId}/status` (TaskStatusInfo) of a task of the order: its status, where each document is read. */
export function taskStatusView(record: OrderRecord, taskId: string, basePath: string): Record<string, unknown> {
  const task = own(record.tasks, taskId)!;
  const base = `${basePath}/orders/${record.orderId}/tasks/${taskId}/documents`;
  return {
    orderId: record.orderId,
    taskId,
    taskStatus: task.status,
    ...(record.clientReference ? { clientReference: record.clientReference } : {}),
    // Every document of the task as the merchant defined it; an UPLOAD document has no original, only a result.
    documents: specDocuments(record, taskId).map((id) => {
      const stored = task.documents.find((d) => d.documentId === id);
      const result = own(task.results, id);
      const archiveId = own(task.archived, id);
      return {
        id,
        ...(stored ? { originalUri: `${base}/${id}/original` } : {}),
        ...(stored && (stored.contentType === 'application/pdf' || result)
          ? { generatedUri: `${base}/${id}/generated` }
          : {}),
        ...(task.status === 'COMPLETED' && result ? { resultUri: `${base}/${id}/result` } : {}),
        ...(archiveId ? { archiveId } : {}),
      };
    }),
  };
}

function specDocuments(record: OrderRecord, taskId: string): string[] {
  const spec = taskDefinition(record, taskId);
  return spec?.documents?.map((d) => d.id) ?? own(record.tasks, taskId)!.documents.map((d) => d.documentId);
}
