import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { fillPdfForm, formFillProblems, readPdfFormValues } from './form-fill.js';

/** A one-page form with a field of each kind pdf-lib writes. */
async function formPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  const form = doc.getForm();
  form.createTextField('fullName').addToPage(page, { x: 50, y: 700, width: 300, height: 24 });
  const zip = form.createTextField('address.zip');
  zip.setMaxLength(4);
  zip.addToPage(page, { x: 50, y: 660, width: 100, height: 24 });
  form.createCheckBox('accept').addToPage(page, { x: 50, y: 620, width: 18, height: 18 });
  const plan = form.createRadioGroup('plan');
  plan.addOptionToPage('basic', page, { x: 50, y: 580, width: 18, height: 18 });
  plan.addOptionToPage('premium', page, { x: 100, y: 580, width: 18, height: 18 });
  const country = form.createDropdown('country');
  country.addOptions(['Norway', 'Sweden']);
  country.addToPage(page, { x: 50, y: 540, width: 200, height: 24 });
  const colours = form.createOptionList('colour');
  colours.addOptions(['red', 'blue']);
  colours.addToPage(page, { x: 50, y: 440, width: 200, height: 80 });
  form.createButton('print').addToPage('Print', page, { x: 300, y: 620, width: 60, height: 24 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe('PDF form filling', () => {
  it('finds every entry that cannot be filled as given, by its place and with the reason', async () => {
    const problems = await formFillProblems(await formPdf(), [
      { name: 'fullName', value: 'Kari Nordmann' },
      { name: 'fullname', value: 'wrong case' },
      { name: 'address.zip', value: '12345' },
      { name: 'accept', value: 'maybe' },
      { name: 'plan', value: 'gold' },
      { name: 'country', value: 'Denmark' },
      { name: 'colour', value: 'blue' },
      { name: 'print', value: 'x' },
    ]);
    expect(problems).toEqual([
      { index: 1, at: 'name', message: 'names no form field of the document: "fullname"' },
      { index: 2, at: 'value', message: "is longer than the field's 4 characters" },
      { index: 3, at: 'value', message: 'fills a check box: give true or false' },
      { index: 4, at: 'value', message: 'is none of the field\'s options: "basic", "premium"' },
      { index: 5, at: 'value', message: 'is none of the field\'s options: "Norway", "Sweden"' },
      { index: 7, at: 'value', message: expect.stringContaining('cannot be filled in') as string },
    ]);
  });

  it('fills each kind of field, draws any script DejaVu covers, and reads the values back from the bytes', async () => {
    const { pdf, values } = await fillPdfForm(await formPdf(), [
      { name: 'fullName', value: 'Ævar Þórsson Ωμέγα Жуков' },
      { name: 'address.zip', value: '0150' },
      { name: 'accept', value: 'true' },
      { name: 'plan', value: 'premium' },
      { name: 'country', value: 'Sweden' },
    ]);
    const expected = [
      { name: 'fullName', value: 'Ævar Þórsson Ωμέγα Жуков' },
      { name: 'address.zip', value: '0150' },
      { name: 'accept', value: 'true' },
      { name: 'plan', value: 'premium' },
      { name: 'country', value: 'Sweden' },
      { name: 'colour' },
    ];
    expect(values).toEqual(expected);
    expect(await readPdfFormValues(pdf)).toEqual(expected);
    // Still a form: fields the order left empty can be filled later.
    const again = await fillPdfForm(pdf, [{ name: 'colour', value: 'red' }]);
    expect(again.values.find((v) => v.name === 'colour')).toEqual({ name: 'colour', value: 'red' });
  });

  it('refuses to fill what does not fit, and a PDF without a form has no fields to fill', async () => {
    await expect(fillPdfForm(await formPdf(), [{ name: 'accept', value: 'maybe' }])).rejects.toThrow(/check box/);
    const plain = await PDFDocument.create();
    plain.addPage();
    const bytes = await plain.save();
    expect(await readPdfFormValues(bytes)).toEqual([]);
    expect(await formFillProblems(bytes, [{ name: 'x', value: '1' }])).toEqual([
      { index: 0, at: 'name', message: 'names no form field of the document: "x"' },
    ]);
  });
});
