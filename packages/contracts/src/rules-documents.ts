import { arrayAt, field, isRecord, stringAt, type Report } from './loose.js';
import { shorten } from './violations.js';

/**
 * A SESSION document names its upload; a document the signer supplies (source UPLOAD) can only be uploaded (there is
 * nothing to sign or view until the signer sends it, so SIGN or VIEW could never complete); a task names at least one
 * identity method the signer can use.
 */
export function checkTaskDocumentsAndMethods(order: unknown, report: Report): void {
  arrayAt(order, 'tasks').forEach((task, t) => {
    arrayAt(task, 'documents').forEach((document, d) => {
      if (stringAt(document, 'source') === 'SESSION' && field(document, 'documentRef') === undefined) {
        report(['tasks', t, 'documents', d, 'documentRef'], 'is required when source is SESSION');
      }
      const action = stringAt(document, 'action');
      if (stringAt(document, 'source') === 'UPLOAD' && (action === 'SIGN' || action === 'VIEW')) {
        report(
          ['tasks', t, 'documents', d, 'action'],
          `${action} can never complete for a document the signer supplies (source UPLOAD): use action UPLOAD`,
        );
      }
    });
    const signatureMethods = arrayAt(task, 'signatureMethods');
    const named = signatureMethods.some((method) => Boolean(stringAt(method, 'name')));
    const authentication = field(task, 'authentication');
    const authenticates =
      isRecord(authentication) && arrayAt(authentication, 'methods').some((m) => typeof m === 'string' && m !== '');
    if (signatureMethods.length > 0 && !named && !authenticates) {
      report(
        ['tasks', t, 'signatureMethods'],
        'needs an identity method for the signer: a signatureMethods[].name or an authentication.methods entry',
      );
    }
  });
}

/** Packaging documents name documents of tasks of this order. */
export function checkPackagingDocuments(order: unknown, report: Report): void {
  const documentsOfTask = new Map<string, Set<string>>();
  for (const task of arrayAt(order, 'tasks')) {
    const id = stringAt(task, 'id');
    if (id === undefined || documentsOfTask.has(id)) continue;
    const documentIds = arrayAt(task, 'documents').map((document) => stringAt(document, 'id'));
    documentsOfTask.set(id, new Set(documentIds.filter((d) => d !== undefined)));
  }
  arrayAt(order, 'packagingTasks').forEach((pkg, p) => {
    arrayAt(pkg, 'documents').forEach((entry, e) => {
      const taskId = stringAt(entry, 'taskId');
      if (taskId === undefined) return;
      const base = ['packagingTasks', p, 'documents', e];
      const documents = documentsOfTask.get(taskId);
      if (!documents) {
        report([...base, 'taskId'], `names no task of this order ('${shorten(taskId)}')`);
        return;
      }
      arrayAt(entry, 'documentIds').forEach((documentId, k) => {
        if (typeof documentId === 'string' && !documents.has(documentId)) {
          report(
            [...base, 'documentIds', k],
            `names no document of task '${shorten(taskId)}' ('${shorten(documentId)}')`,
          );
        }
      });
    });
  });
}
