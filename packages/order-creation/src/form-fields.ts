import { formatPropertyPath, type SigningOrder, type Violation } from '@esign/contracts';
import type { UploadMeta } from '@esign/document-store';
import { formFillProblems } from '@esign/pdf-forms';

/**
 * `form.inputParams` must fill the document's PDF form as given: each name the PDF's AcroForm lacks, and each value
 * its field does not take (a check box true or false, a choice one of its options, a text at most the field's
 * length), is a violation at that entry; a form on a document that is no PDF is one too. `metas` holds the uploads by
 * documentRef (all present: missing ones are reported elsewhere); `read` answers an upload's bytes.
 */
export async function formFieldViolations(
  order: SigningOrder,
  metas: Map<string, UploadMeta>,
  read: (meta: UploadMeta) => Promise<Buffer>,
): Promise<Violation[]> {
  const bytes = new Map<string, Promise<Buffer>>();
  const bytesOf = (meta: UploadMeta) => {
    if (!bytes.has(meta.documentId)) bytes.set(meta.documentId, read(meta));
    return bytes.get(meta.documentId)!;
  };
  const checks = order.tasks.flatMap((task, t) =>
    task.documents.map(async (document, d): Promise<Violation[]> => {
      const params = document.form?.inputParams ?? [];
      const meta = document.documentRef === undefined ? undefined : metas.get(document.documentRef);
      if (!params.length || !meta) return [];
      const place = (...rest: (string | number)[]) =>
        formatPropertyPath(['tasks', t, 'documents', d, 'form', 'inputParams', ...rest]);
      if (meta.contentType !== 'application/pdf')
        return [{ propertyPath: place(), message: 'form fields can only be filled in a PDF document' }];
      const problems = await bytesOf(meta)
        .then((pdf) => formFillProblems(pdf, params))
        .catch(() => null);
      if (!problems) return [{ propertyPath: place(), message: 'the document could not be read as a PDF form' }];
      return problems.map((p) => ({ propertyPath: place(p.index, p.at), message: p.message }));
    }),
  );
  return (await Promise.all(checks)).flat();
}
