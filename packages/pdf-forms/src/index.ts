// PDF forms (AcroForm): the values an order fills in, checked and written, and the values a form holds; and the
// DejaVu fonts the platform draws text with.
export { DEFAULT_FONT_DIR, dejavuFont } from './fonts.js';
export {
  describeFormFields,
  fillPdfForm,
  FormFillRefused,
  formFillProblems,
  readPdfFormValues,
  type FormFieldInfo,
  type FormProblem,
  type FormValue,
} from './form-fill.js';
