import type { DocumentStore } from '@esign/document-store';
import { shownDocument } from '@esign/order-store';
import { describeFormFields, formFillProblems, type FormFieldInfo } from '@esign/pdf-forms';
import type { FormFieldValue } from '@esign/temporal-contracts';
import { documentDone, type TaskContext } from './task-context.js';

/** A field the signer fills in, with the name its input has in the Sign form (`form.<document>.<field>`). */
export interface FieldToFill extends FormFieldInfo {
  input: string;
}

/** The fields of one document's PDF form the signer is to fill in (the order made its form `interactive`). */
export interface FormToFill {
  documentId: string;
  documentName: string;
  fields: FieldToFill[];
  /** The PDF the fields were read from (the one the signer sees), to check the values sent against. */
  pdf: Buffer;
}

/** At most this many fields of one document are offered (a larger form is filled in with `inputParams`). */
export const MAX_FIELDS_OFFERED = 200;

/**
 * The forms the signer fills in before signing: for each document still to sign whose order made its form
 * `interactive`, the fields of the PDF they see that the order left to them — not set by its `inputParams`, not
 * read-only, no signature fields or buttons.
 */
export async function formsToFill(store: DocumentStore, ctx: TaskContext, viewed: string[]): Promise<FormToFill[]> {
  const forms: FormToFill[] = [];
  for (const [d, spec] of ctx.spec.documents.entries()) {
    const stored = ctx.task.documents.find((x) => x.documentId === spec.id);
    if (spec.action !== 'SIGN' || !spec.form?.interactive || stored?.contentType !== 'application/pdf') continue;
    if (documentDone(ctx, spec.id, viewed)) continue;
    const fixed = new Set((spec.form.inputParams ?? []).map((p) => p.name));
    const pdf = await store.readObject(shownDocument(stored).objectKey);
    const fields = (await describeFormFields(pdf))
      .filter((f) => !fixed.has(f.name) && !f.readOnly)
      .slice(0, MAX_FIELDS_OFFERED)
      .map((f, i) => ({ ...f, input: `form.${d}.${i}` }));
    if (fields.length > 0) forms.push({ documentId: spec.id, documentName: spec.description ?? spec.id, fields, pdf });
  }
  return forms;
}

/** The Sign form's inputs for `forms` as sent (strings only: a repeated name is not a value), to show again. */
export function sentFormInputs(forms: FormToFill[], body: Record<string, unknown>): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const field of forms.flatMap((f) => f.fields)) {
    const raw = body[field.input];
    if (typeof raw === 'string') sent[field.input] = raw;
  }
  return sent;
}

/**
 * What the signer filled in, by document: a ticked check box is "true", an unticked one "false"; a text or a choice
 * left empty is not sent (the field stays as the PDF has it).
 */
export function signerFormValues(forms: FormToFill[], sent: Record<string, string>): Map<string, FormFieldValue[]> {
  const values = new Map<string, FormFieldValue[]>();
  for (const form of forms) {
    const list = form.fields.flatMap((field): FormFieldValue[] => {
      const raw = sent[field.input];
      if (field.kind === 'checkbox') return [{ name: field.name, value: raw === undefined ? 'false' : 'true' }];
      return raw === undefined || raw === '' ? [] : [{ name: field.name, value: raw }];
    });
    if (list.length > 0) values.set(form.documentId, list);
  }
  return values;
}

/** The inputs whose values the document's form does not take (a choice that is none of its options, a text too long). */
export async function formInputProblems(forms: FormToFill[], values: Map<string, FormFieldValue[]>): Promise<string[]> {
  const invalid: string[] = [];
  for (const form of forms) {
    const list = values.get(form.documentId) ?? [];
    if (list.length === 0) continue;
    for (const p of await formFillProblems(form.pdf, list)) {
      const field = form.fields.find((f) => f.name === list[p.index]!.name);
      if (field) invalid.push(field.input);
    }
  }
  return invalid;
}
