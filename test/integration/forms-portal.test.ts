import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { audit } from '../support/a11y.js';
import { readEachDocument } from '../support/browser.js';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { formValuesByPyhanko } from '../support/pdf-forms.js';
import { documentBytes, expectSealed, portalFlows } from '../support/portal-flows.js';
import { placeOrder } from '../support/portal-walk.js';

/** An application form: a name the order fills in, a city (described for people as "City"), a box and a choice. */
async function applicationForm(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  const form = doc.getForm();
  form.createTextField('fullName').addToPage(page, { x: 50, y: 700, width: 300, height: 24 });
  const city = form.createTextField('address.city');
  city.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText('City'));
  city.addToPage(page, { x: 50, y: 650, width: 300, height: 24 });
  form.createCheckBox('accept').addToPage(page, { x: 50, y: 600, width: 18, height: 18 });
  const country = form.createDropdown('country');
  country.addOptions(['Norway', 'Sweden']);
  country.addToPage(page, { x: 50, y: 550, width: 200, height: 24 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe('signing portal: the signer fills in the fields an interactive form leaves to them', () => {
  const { signerTask, inContext, identify, s } = portalFlows();

  it('offers labelled inputs for the remaining fields, refuses a value the field does not take, and seals the values', async () => {
    const documentRef = await uploadOk('demo', await applicationForm(), 'application/pdf');
    const form = { interactive: true, inputParams: [{ name: 'fullName', value: 'Kari Nordmann' }] };
    const doc = { id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Application', form };
    const { id, links } = await placeOrder([signerTask('signer1', [doc])]);

    await inContext(async (page) => {
      await page.goto(links.signer1!);
      await identify(page);
      await readEachDocument(page);
      const fieldset = page.locator('#sign-form fieldset.form-fill');
      expect(await fieldset.locator('legend').textContent()).toBe('Fill in the form in Application');
      // The order's own value is not offered; the others are, each with its accessible name.
      expect(await fieldset.locator('input, select, textarea').count()).toBe(3);
      await audit(page, 'task page with a form to fill in');
      await page.getByLabel('City').fill('Bergen');
      await page.getByLabel('accept').check();
      // A value the field does not take (an option the page never offered) is refused next to the field.
      await page.evaluate(
        `document.querySelector('select[name="form.0.2"]').add(new Option('Denmark', 'Denmark', true, true))`,
      );
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.locator('#ff-form-0-2-error').waitFor();
      expect(await page.getByLabel('country').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('City').inputValue()).toBe('Bergen');
      expect(await page.getByLabel('accept').isChecked()).toBe(true);
      await audit(page, 'task page with a form value refused');

      await page.getByLabel('country').selectOption('Sweden');
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.waitForURL(new RegExp(`^${s.landing.url}/done`));
    });

    const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as {
      taskStatus: string;
      documents: Array<{ formOutputParam?: unknown }>;
    };
    expect(status.taskStatus).toBe('COMPLETED');
    expect(status.documents[0]!.formOutputParam).toEqual([
      { name: 'fullName', value: 'Kari Nordmann' },
      { name: 'address.city', value: 'Bergen' },
      { name: 'accept', value: 'true' },
      { name: 'country', value: 'Sweden' },
    ]);
    const { bytes } = await documentBytes(id, 'signer1', 'doc1');
    expect(await formValuesByPyhanko(bytes)).toEqual({
      fullName: 'Kari Nordmann',
      'address.city': 'Bergen',
      accept: 'Yes',
      country: 'Sweden',
    });
    await expectSealed(bytes);
  });
});
