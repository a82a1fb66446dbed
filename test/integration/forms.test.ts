import { createHash } from 'node:crypto';
import { EVIDENCE_FILE_NAME } from '@esign/pdf-signing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { makeFormPdf, makePdf, uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { formValuesByPyhanko } from '../support/pdf-forms.js';
import { expectLongTermSealed, pdfAttachment } from '../support/signing.js';
import { signDocument, testSeal } from '../support/tasks.js';

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

/** An order for a freshly uploaded copy of the test form, with `form` on its document. */
async function formPdfOrder(form: unknown) {
  return createOrder('demo', formOrder(await uploadOk('demo', await makeFormPdf(), 'application/pdf'), form));
}

describe('PDF forms at order creation', () => {
  it('accepts inputParams that name fields of the PDF form, nested names included', async () => {
    const res = await formPdfOrder({
      inputParams: [
        { name: 'fullName', value: 'Kari Nordmann' },
        { name: 'address.city', value: 'Oslo' },
      ],
    });
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

type TaskStatus = {
  taskStatus: string;
  documents: Array<{ id: string; formOutputParam?: Array<{ name: string; value?: string }> }>;
};

async function bytesOf(path: string): Promise<Buffer> {
  const res = await api('demo', path);
  expect(res.status, path).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function statusOnce(path: string, ok: (s: TaskStatus) => boolean): Promise<TaskStatus> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = (await (await api('demo', path)).json()) as TaskStatus;
    if (ok(status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('PDF forms filled in by the order', () => {
  let clients: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    clients = await stackClients();
  });
  afterAll(() => clients.close());

  it('refuses values a field does not take, each at its own value', async () => {
    const res = await formPdfOrder({
      inputParams: [
        { name: 'fullName', value: 'Kari Nordmann' },
        { name: 'accept', value: 'maybe' },
      ],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).violations).toEqual([
      { propertyPath: 'tasks[0].documents[0].form.inputParams[1].value', message: expect.stringMatching(/check box/) },
    ]);
  });

  it("refuses signer values for a form that is not interactive, and over the order's own values", async () => {
    for (const [form, formValues] of [
      [{ inputParams: [{ name: 'fullName', value: 'Kari' }] }, [{ name: 'address.city', value: 'Oslo' }]],
      [{ interactive: true, inputParams: [{ name: 'fullName', value: 'Kari' }] }, [{ name: 'fullName', value: 'Ola' }]],
    ] as const) {
      const res = await formPdfOrder(form);
      expect(res.status, await res.clone().text()).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const sign = signDocument(clients.temporal, id, 'signer1', 'doc1', {
        ...testSeal(),
        formValues: [...formValues],
      });
      await expect(sign).rejects.toThrow();
      const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as TaskStatus;
      expect(status.taskStatus).toBe('CREATED');
      // The same signature without those values goes through: it was the values that were refused.
      expect((await signDocument(clients.temporal, id, 'signer1', 'doc1', testSeal())).taskStatus).toBe('COMPLETED');
    }
  });

  it('shows and signs the form as filled in, keeps the original, and reports the values as formOutputParam', async () => {
    const original = await makeFormPdf();
    const ref = await uploadOk('demo', original, 'application/pdf');
    const res = await createOrder(
      'demo',
      formOrder(ref, {
        inputParams: [
          { name: 'fullName', value: 'Ævar Þórsson Жуков' },
          { name: 'address.city', value: 'Oslo' },
          { name: 'accept', value: 'true' },
        ],
      }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const task = `/orders/${id}/tasks/signer1`;
    const expected = [
      { name: 'fullName', value: 'Ævar Þórsson Жуков' },
      { name: 'address.city', value: 'Oslo' },
      { name: 'accept', value: 'true' },
    ];
    const created = await statusOnce(`${task}/status`, (s) => Boolean(s.documents[0]?.formOutputParam));
    expect(created.documents[0]!.formOutputParam).toEqual(expected);

    // The merchant's upload stays as it was; the generated document is the filled copy the signer is shown.
    expect((await bytesOf(`${task}/documents/doc1/original`)).equals(original)).toBe(true);
    const generated = await bytesOf(`${task}/documents/doc1/generated`);
    const filledValues = { fullName: 'Ævar Þórsson Жуков', 'address.city': 'Oslo', accept: 'Yes' };
    expect(await formValuesByPyhanko(generated)).toEqual(filledValues);

    await signDocument(clients.temporal, id, 'signer1', 'doc1', testSeal());
    const signed = await statusOnce(`${task}/status`, (s) => s.taskStatus === 'COMPLETED');
    expect(signed.taskStatus).toBe('COMPLETED');
    expect(signed.documents[0]!.formOutputParam).toEqual(expected);
    const result = await bytesOf(`${task}/documents/doc1/result`);
    // The values are in the sealed result, under its signature, and the evidence names what was filled in.
    expect(await formValuesByPyhanko(result)).toEqual(filledValues);
    await expectLongTermSealed(result, inject('stack'), { pyhanko: false });
    const evidence = JSON.parse((await pdfAttachment(result, EVIDENCE_FILE_NAME)).toString('utf8')) as {
      document: { sha256: string };
      form?: { originalSha256: string; values: unknown };
    };
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(evidence.document.sha256).toBe(sha256(generated));
    expect(evidence.form).toEqual({ originalSha256: sha256(original), values: expected });
  });
});
