// AcroForm filling: the values an order's `form.inputParams` give a PDF's fields, checked against each field's kind
// and written with appearances drawn in DejaVu Sans (so any script the font covers shows, not only WinAnsi), and the
// values a filled form holds (the task's `formOutputParam`).
import fontkit from '@pdf-lib/fontkit';
import {
  PDFCheckBox,
  PDFDocument,
  PDFDropdown,
  PDFOptionList,
  PDFRadioGroup,
  PDFTextField,
  PDFName,
  PDFString,
  PDFHexString,
  type PDFField,
  type PDFForm,
} from 'pdf-lib';
import { dejavuFont } from './fonts.js';

/** A form field's name (fully qualified, as pdf-lib and `inputParams` name it) and its value. */
export interface FormValue {
  name: string;
  value?: string;
}

/** Why one `inputParams` entry cannot be filled in: `index` is its place in the list given. */
export interface FormProblem {
  index: number;
  /** Whether the problem is with the field's name (no such field) or with its value. */
  at: 'name' | 'value';
  message: string;
}

const TRUE = new Set(['true', 'yes', 'on', '1', 'x']);
const FALSE = new Set(['false', 'no', 'off', '0', '']);
const MAX_LISTED_OPTIONS = 10;

const listed = (options: string[]) =>
  options
    .slice(0, MAX_LISTED_OPTIONS)
    .map((o) => `"${o}"`)
    .join(', ') + (options.length > MAX_LISTED_OPTIONS ? ` and ${options.length - MAX_LISTED_OPTIONS} more` : '');

/** Sets one field, or says why its value does not fit it (nothing set then). */
function setField(field: PDFField, value: string): string | undefined {
  if (field instanceof PDFTextField) {
    const max = field.getMaxLength();
    if (max !== undefined && [...value].length > max) return `is longer than the field's ${max} characters`;
    field.setText(value);
    return undefined;
  }
  if (field instanceof PDFCheckBox) {
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) field.check();
    else if (FALSE.has(v)) field.uncheck();
    else return 'fills a check box: give true or false';
    return undefined;
  }
  if (field instanceof PDFRadioGroup) {
    const options = field.getOptions();
    if (!options.includes(value)) return `is none of the field's options: ${listed(options)}`;
    field.select(value);
    return undefined;
  }
  if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
    const options = field.getOptions();
    const free = field instanceof PDFDropdown && field.isEditable();
    if (!free && !options.includes(value)) return `is none of the field's options: ${listed(options)}`;
    field.select(value);
    return undefined;
  }
  return 'names a field that cannot be filled in (a signature field or a push button)';
}

function fieldNamed(form: PDFForm, name: string): PDFField | undefined {
  return form.getFields().find((f) => f.getName() === name);
}

function fill(form: PDFForm, params: readonly FormValue[]): FormProblem[] {
  const problems: FormProblem[] = [];
  params.forEach((p, index) => {
    const field = fieldNamed(form, p.name);
    if (!field)
      return problems.push({ index, at: 'name', message: `names no form field of the document: "${p.name}"` });
    const problem = setField(field, p.value ?? '');
    if (problem) problems.push({ index, at: 'value', message: problem });
  });
  return problems;
}

async function loadForm(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return { doc, form: doc.getForm() };
}

/**
 * What keeps `params` from being filled into the PDF's form: fields it lacks, values a field's kind does not take
 * (a check box takes true or false, a choice one of its options, a text field at most its length). Empty when all fit.
 * Throws when the bytes are not a PDF that pdf-lib reads.
 */
export async function formFillProblems(pdf: Uint8Array, params: readonly FormValue[]): Promise<FormProblem[]> {
  const { form } = await loadForm(pdf);
  return fill(form, params);
}

/** `params` do not fit the form: `problems` says which and why (nothing was filled). */
export class FormFillRefused extends Error {
  constructor(readonly problems: FormProblem[]) {
    super(`the form cannot be filled in: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'FormFillRefused';
  }
}

/**
 * The PDF with `params` filled in (appearances drawn in DejaVu Sans, subset-embedded) and every value its form then
 * holds; the form stays fillable. Throws `FormFillRefused` when a value does not fit.
 */
export async function fillPdfForm(
  pdf: Uint8Array,
  params: readonly FormValue[],
): Promise<{ pdf: Buffer; values: FormValue[] }> {
  const { doc, form } = await loadForm(pdf);
  const problems = fill(form, params);
  if (problems.length > 0) throw new FormFillRefused(problems);
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await dejavuFont('DejaVuSans.ttf'), { subset: true, customName: 'DejaVuSans' });
  form.updateFieldAppearances(font);
  const filled = Buffer.from(await doc.save({ updateFieldAppearances: false }));
  return { pdf: filled, values: formValues(form) };
}

/** The value of every fillable field of a form (check boxes as true/false; choices as the selected option). */
function formValues(form: PDFForm): FormValue[] {
  return form.getFields().flatMap((field): FormValue[] => {
    const name = field.getName();
    const value =
      field instanceof PDFTextField
        ? field.getText()
        : field instanceof PDFCheckBox
          ? String(field.isChecked())
          : field instanceof PDFRadioGroup
            ? field.getSelected()
            : field instanceof PDFDropdown || field instanceof PDFOptionList
              ? field.getSelected().join(', ') || undefined
              : null;
    if (value === null) return [];
    return [value === undefined || value === '' ? { name } : { name, value }];
  });
}

/** The values a PDF's form holds (none when it has no form). */
export async function readPdfFormValues(pdf: Uint8Array): Promise<FormValue[]> {
  return formValues((await loadForm(pdf)).form);
}

/** A field a signer can fill in, as the portal offers it. */
export interface FormFieldInfo {
  name: string;
  /** The field's description for people (its `/TU`), when the PDF gives one; else the name is all there is. */
  label?: string;
  kind: 'text' | 'checkbox' | 'choice';
  /** Text: whether it takes several lines; its longest value. */
  multiline?: boolean;
  maxLength?: number;
  /** Choice (radio group, drop-down, list): the options; `editable` when a drop-down also takes other text. */
  options?: string[];
  editable?: boolean;
  /** The value it holds now (check boxes: "true" or "false"). */
  value?: string;
  readOnly: boolean;
}

function labelOf(field: PDFField): string | undefined {
  const tu = field.acroField.dict.lookup(PDFName.of('TU'));
  const text = tu instanceof PDFString || tu instanceof PDFHexString ? tu.decodeText().trim() : '';
  return text || undefined;
}

/** The fields of a PDF's form a person can fill in (no signature fields, no buttons), in the form's order. */
export async function describeFormFields(pdf: Uint8Array): Promise<FormFieldInfo[]> {
  const { form } = await loadForm(pdf);
  const values = new Map(formValues(form).map((v) => [v.name, v.value]));
  return form.getFields().flatMap((field): FormFieldInfo[] => {
    const name = field.getName();
    const label = labelOf(field);
    const common = { name, ...(label ? { label } : {}), readOnly: field.isReadOnly() };
    const value = values.get(name);
    const held = value === undefined ? {} : { value };
    if (field instanceof PDFTextField) {
      const maxLength = field.getMaxLength();
      return [
        {
          ...common,
          kind: 'text',
          multiline: field.isMultiline(),
          ...(maxLength === undefined ? {} : { maxLength }),
          ...held,
        },
      ];
    }
    if (field instanceof PDFCheckBox) return [{ ...common, kind: 'checkbox', ...held }];
    if (field instanceof PDFRadioGroup || field instanceof PDFDropdown || field instanceof PDFOptionList) {
      const editable = field instanceof PDFDropdown && field.isEditable();
      return [{ ...common, kind: 'choice', options: field.getOptions(), ...(editable ? { editable } : {}), ...held }];
    }
    return [];
  });
}
