import { describe, expect, it } from 'vitest';
import { makeFormPdf, makePdf, uploadOk } from '../support/documents.js';
import { createOrder } from '../support/orders.js';

type Problem = { violations: Array<{ propertyPath: string; message: string }> };

function formOrder(documentRef: string, form: unknown, extra: Record<string, unknown>[] = []) {
  return {
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, form }, ...extra],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      },
    ],
  };
}

describe('PDF forms at order creation', () => {
  it('accepts inputParams that name fields of the PDF form, nested names included', async () => {
    const ref = await uploadOk('demo', await makeFormPdf(), 'application/pdf');
    const res = await createOrder(
      'demo',
      formOrder(ref, {
        inputParams: [
          { name: 'fullName', value: 'Kari Nordmann' },
          { name: 'address.city', value: 'Oslo' },
        ],
      }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it('refuses unknown field names with a violation naming each, and a form on a text document', async () => {
    const ref = await uploadOk('demo', await makeFormPdf(), 'application/pdf');
    const textRef = await uploadOk('demo', 'Plain terms.', 'text/plain');
    const order = formOrder(
      ref,
      {
        inputParams: [
          { name: 'fullName', value: 'Kari Nordmann' },
          { name: 'fullname', value: 'wrong case' },
          { name: 'city', value: 'Oslo' },
        ],
      },
      [{ id: 'doc2', action: 'VIEW', source: 'SESSION', documentRef: textRef, form: { inputParams: [{ name: 'x' }] } }],
    );
    const res = await createOrder('demo', order);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const { violations } = (await res.json()) as Problem;
    expect(violations.map((v) => v.propertyPath).sort()).toEqual([
      'tasks[0].documents[0].form.inputParams[1].name',
      'tasks[0].documents[0].form.inputParams[2].name',
      'tasks[0].documents[1].form.inputParams',
    ]);
    expect(violations.find((v) => v.propertyPath.endsWith('[1].name'))?.message).toContain('"fullname"');
    expect(violations.find((v) => v.propertyPath.endsWith('[2].name'))?.message).toContain('"city"');
    expect(violations.find((v) => v.propertyPath.endsWith('[1].form.inputParams'))?.message).toMatch(/PDF/);
  });

  it('refuses every name on a PDF without a form', async () => {
    const ref = await uploadOk('demo', await makePdf(), 'application/pdf');
    const res = await createOrder('demo', formOrder(ref, { inputParams: [{ name: 'fullName', value: 'A' }] }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).violations).toEqual([
      { propertyPath: 'tasks[0].documents[0].form.inputParams[0].name', message: expect.stringContaining('fullName') },
    ]);
  });
});
