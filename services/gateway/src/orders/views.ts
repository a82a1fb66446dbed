import { signingUrlOf, taskSpec, type OrderRecord } from '@esign/order-store';
import { own } from '@esign/temporal-contracts';

/** `GET /orders/{id}` and the 201 of `POST /orders`: the order as stored, with ids, signing URLs and statuses. */
export function orderView(
  record: OrderRecord,
  portalUrl: string,
  artifacts: Record<string, string> = {},
): Record<string, unknown> {
  const tasks = record.order.tasks.map((task) => {
    const artifact = own(artifacts, task.id);
    return {
      ...task,
      signingUrl: signingUrlOf(record, task.id, portalUrl),
      status: own(record.tasks, task.id)?.status ?? 'CREATED',
      ...(artifact ? { artifact } : {}),
    };
  });
  // v1 has one `artifact` per order: the first task's that asked for one (each task's is on the task).
  const first = record.order.tasks.map((t) => own(artifacts, t.id)).find(Boolean);
  return { id: record.orderId, ...record.order, tasks, ...(first ? { artifact: first } : {}) };
}

/** The absolute URL of the API's base path (`PUBLIC_URL` + `API_BASE_PATH`), which every URI of an answer starts with. */
export const apiUrlOf = (config: { publicUrl: string; apiBasePath: string }) =>
  `${config.publicUrl}${config.apiBasePath}`;

/** A path under the API base URL from its segments, each percent-encoded (client ids may be any printable text). */
export const apiUri = (apiUrl: string, ...segments: string[]) =>
  [apiUrl, ...segments.map((s) => encodeURIComponent(s))].join('/');

/**
 * `GET …/tasks/{taskId}/status` (TaskStatusInfo) of a task of the order: its status, where each document is read
 * (absolute URLs under `apiUrl`).
 */
export function taskStatusView(record: OrderRecord, taskId: string, apiUrl: string): Record<string, unknown> {
  const task = own(record.tasks, taskId)!;
  const uri = (id: string, kind: string) =>
    apiUri(apiUrl, 'orders', record.orderId, 'tasks', taskId, 'documents', id, kind);
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
        ...(stored ? { originalUri: uri(id, 'original') } : {}),
        ...(stored && (stored.contentType === 'application/pdf' || result)
          ? { generatedUri: uri(id, 'generated') }
          : {}),
        ...(task.status === 'COMPLETED' && result ? { resultUri: uri(id, 'result') } : {}),
        ...(archiveId ? { archiveId } : {}),
        // The PDF form's fields as sealed (the order's values and the signer's), else as the order filled them in.
        ...formOutput(result?.formValues ?? stored?.filled?.values),
      };
    }),
  };
}

const formOutput = (values: Array<{ name: string; value?: string }> | undefined) =>
  values ? { formOutputParam: values } : {};

function specDocuments(record: OrderRecord, taskId: string): string[] {
  const spec = taskSpec(record, taskId);
  return spec?.documents.map((d) => d.id) ?? own(record.tasks, taskId)!.documents.map((d) => d.documentId);
}
