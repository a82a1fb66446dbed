import { formatPropertyPath, type SigningOrder, type Violation } from '@esign/contracts';
import type { UploadMeta } from '@esign/document-store';
import { PDFDocument } from 'pdf-lib';

/** The AcroForm field names of a PDF (fully qualified, as `inputParams` name them); none when it has no form. */
export async function pdfFormFieldNames(pdf: Uint8Array): Promise<Set<string>> {
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  return new Set(
    doc
      .getForm()
      .getFields()
      .map((f) => f.getName()),
  );
}

/**
 * `form.inputParams` name fields of the document's PDF: each name the PDF's AcroForm lacks is a violation naming it,
 * and a form on a document that is no PDF is one too. `metas` holds the uploads by documentRef (all present: missing
 * ones are reported elsewhere); `read` answers an upload's bytes.
 */
export async function formFieldViolations(
  order: SigningOrder,
  metas: Map<string, UploadMeta>,
  read: (meta: UploadMeta) => Promise<Buffer>,
): Promise<Violation[]> {
  const names = new Map<string, Promise<Set<string> | null>>();
  const fieldsOf = (meta: UploadMeta) => {
    if (!names.has(meta.documentId))
      names.set(
        meta.documentId,
        read(meta).then(pdfFormFieldNames, () => null),
      );
    return names.get(meta.documentId)!;
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
      const known = await fieldsOf(meta);
      if (!known) return [{ propertyPath: place(), message: 'the document could not be read as a PDF form' }];
      return params.flatMap((p, i) =>
        known.has(p.name)
          ? []
          : [{ propertyPath: place(i, 'name'), message: `names no form field of the document: "${p.name}"` }],
      );
    }),
  );
  return (await Promise.all(checks)).flat();
}
