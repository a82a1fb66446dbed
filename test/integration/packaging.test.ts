import { readSignatureDictionaries } from '@esign/pdf-signing';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { makePdf, uploadOk } from '../support/documents.js';
import { accessToken, api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { startReceiver } from '../support/receiver.js';
import { expectLongTermSealed } from '../support/signing.js';
import { signDocument, signerAction, testSeal } from '../support/tasks.js';

const stack = inject('stack');

const task = (id: string, documentRef: string, archive = false) => ({
  id,
  documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, sendResultToArchive: archive }],
  signatureMethods: [{ name: 'nbid-sign' }],
});

async function json<T>(path: string, merchant: 'demo' | 'other' = 'demo'): Promise<{ status: number; body: T }> {
  const res = await api(merchant, path);
  return { status: res.status, body: (await res.json()) as T };
}

type PackagingStatus = { packagingTaskStatus: string; packagingTaskResultUri?: string; archiveId?: string };

// Packaging and the archive on the real stack (contract §8): signers sign through the task workflows' Update path
// (as the portal does, with a seal request), the order packages once the named tasks end.
describe('packaging tasks and the archive', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [c, receiver] = await Promise.all([stackClients(), startReceiver([200])]);
  });
  afterAll(async () => {
    await receiver?.stop();
    await c?.close();
  });

  async function twoSignerOrder(sendToArchive: boolean) {
    const [a, b] = [
      await uploadOk('demo', 'Agreement, part A', 'text/plain'),
      await uploadOk('demo', 'Part B', 'text/plain'),
    ];
    const res = await createOrder('demo', {
      clientReference: 'packaging',
      tasks: [task('signer1', a), task('signer2', b)],
      packagingTasks: [
        {
          id: 'pkg1',
          method: 'pades',
          sendToArchive,
          documents: [
            { taskId: 'signer1', documentIds: ['doc1'] },
            { taskId: 'signer2', documentIds: ['doc1'] },
          ],
          notifications: [
            {
              id: 'pkg-hook',
              type: 'URL',
              recipient: `${receiver.url}/packaging`,
              message: 'package ${orderId}',
              schedule: [{ triggerStatus: 'CREATED' }, { triggerStatus: 'COMPLETED' }],
            },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  const packagingStatus = (id: string) => json<PackagingStatus>(`/orders/${id}/packaging-tasks/pkg1/status`);

  it('packages two signers into one PDF with two valid signatures, archives it, and notifies', async () => {
    const id = await twoSignerOrder(true);
    expect((await packagingStatus(id)).body).toMatchObject({ packagingTaskStatus: 'CREATED' });
    expect((await api('demo', `/orders/${id}/packaging-tasks/pkg1/result`)).status).toBe(409);

    await signDocument(c.temporal, id, 'signer1', 'doc1', testSeal('Kari Nordmann', '01017012345'));
    await signDocument(c.temporal, id, 'signer2', 'doc1', testSeal('Ola Nordmann', '02028012345'));
    await expect
      .poll(async () => (await packagingStatus(id)).body.packagingTaskStatus, { timeout: 30_000 })
      .toBe('COMPLETED');
    const status = (await packagingStatus(id)).body;
    // An absolute URL under the configured public API URL, which a client can follow as it is.
    expect(status.packagingTaskResultUri).toBe(
      `${c.config.publicUrl}/enterprise/sign/orders/${id}/packaging-tasks/pkg1/result`,
    );
    expect(
      (
        await fetch(status.packagingTaskResultUri!, {
          headers: { authorization: `Bearer ${await accessToken('demo')}` },
        })
      ).status,
    ).toBe(200);
    expect(status.archiveId).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const res = await api('demo', `/orders/${id}/packaging-tasks/pkg1/result`);
    expect(res.status).toBe(200);
    const pdf = Buffer.from(await res.arrayBuffer());
    await expectLongTermSealed(pdf, stack, { count: 2 });
    expect((await readSignatureDictionaries(pdf)).map((d) => d.name)).toEqual(['Kari Nordmann', 'Ola Nordmann']);

    // notifications on CREATED and COMPLETED, about the packaging task, with no placeholder substituted
    await expect
      .poll(() => receiver.calls.filter((call) => call.url.searchParams.get('requestId') === id).length)
      .toBe(2);
    for (const call of receiver.calls.filter((x) => x.url.searchParams.get('requestId') === id)) {
      expect(Object.fromEntries(call.url.searchParams)).toEqual({
        requestId: id,
        packagingTaskId: 'pkg1',
        message: 'package ${orderId}',
      });
    }
    const events = (await json<Array<{ eventType: string }>>(`/orders/${id}/tasks/signer1/events`)).body;
    expect(events.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(['PACKAGING_TASK_CREATED', 'PACKAGING_TASK_COMPLETED']),
    );

    // the archived package: the owner reads it, another merchant does not, and it outlives the order
    const archived = await api('demo', `/archive-documents/${status.archiveId}`);
    expect(archived.status).toBe(200);
    expect(Buffer.from(await archived.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await api('other', `/archive-documents/${status.archiveId}`)).status).toBe(404);
    expect((await api('demo', `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('demo', `/orders/${id}/packaging-tasks/pkg1/status`)).status).toBe(404);
    const after = await api('demo', `/archive-documents/${status.archiveId}`);
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('packs a document two tasks share once, with one signature per signer over it', async () => {
    const original = await makePdf(3, 128);
    const shared = await uploadOk('demo', original, 'application/pdf');
    const res = await createOrder('demo', {
      clientReference: 'packaging-shared',
      tasks: [task('signer1', shared), task('signer2', shared)],
      packagingTasks: [
        {
          id: 'pkg1',
          method: 'pades',
          documents: [
            { taskId: 'signer1', documentIds: ['doc1'] },
            { taskId: 'signer2', documentIds: ['doc1'] },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    await signDocument(c.temporal, id, 'signer1', 'doc1', testSeal('Kari Nordmann', '01017012345'));
    await signDocument(c.temporal, id, 'signer2', 'doc1', testSeal('Ola Nordmann', '02028012345'));
    await expect
      .poll(async () => (await packagingStatus(id)).body.packagingTaskStatus, { timeout: 30_000 })
      .toBe('COMPLETED');
    const pdf = Buffer.from(await (await api('demo', `/orders/${id}/packaging-tasks/pkg1/result`)).arrayBuffer());
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe((await PDFDocument.load(original)).getPageCount());
    await expectLongTermSealed(pdf, stack, { count: 2, pyhanko: false });
    expect((await readSignatureDictionaries(pdf)).map((d) => d.name)).toEqual(['Kari Nordmann', 'Ola Nordmann']);
  });

  it('fails the packaging task when a named signer rejects, without its COMPLETED notification', async () => {
    const id = await twoSignerOrder(false);
    await signDocument(c.temporal, id, 'signer1', 'doc1', testSeal('Kari Nordmann', '01017012345'));
    await signerAction(c.temporal, id, 'signer2', { type: 'REJECTED', reason: 'No' });
    await expect
      .poll(async () => (await packagingStatus(id)).body.packagingTaskStatus, { timeout: 30_000 })
      .toBe('FAILED');
    expect((await api('demo', `/orders/${id}/packaging-tasks/pkg1/result`)).status).toBe(409);
    const events = (await json<Array<{ eventType: string; data?: string }>>(`/orders/${id}/tasks/signer2/events`)).body;
    expect(events.find((e) => e.eventType === 'PACKAGING_TASK_FAILED')?.data).toMatch(/signer2 ended REJECTED/);
    await expect.poll(() => receiver.calls.filter((x) => x.url.searchParams.get('requestId') === id).length).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.calls.filter((x) => x.url.searchParams.get('requestId') === id)).toHaveLength(1); // CREATED only
  });

  it('archives a signed document result when asked, and the copy outlives the order', async () => {
    const ref = await uploadOk('demo', 'Archive me', 'text/plain');
    const res = await createOrder('demo', { tasks: [task('signer1', ref, true)] });
    const { id } = (await res.json()) as { id: string };
    await signDocument(c.temporal, id, 'signer1', 'doc1', testSeal('Kari Nordmann', '01017012345'));
    type TaskStatusBody = { taskStatus: string; documents: Array<{ id: string; archiveId?: string }> };
    const archiveIdOf = async () =>
      (await json<TaskStatusBody>(`/orders/${id}/tasks/signer1/status`)).body.documents[0]?.archiveId;
    await expect.poll(archiveIdOf).toBeTruthy();
    const archiveId = (await archiveIdOf())!;
    const result = Buffer.from(
      await (await api('demo', `/orders/${id}/tasks/signer1/documents/doc1/result`)).arrayBuffer(),
    );
    expect((await api('demo', `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
    const archived = await api('demo', `/archive-documents/${archiveId}`);
    expect(archived.status).toBe(200);
    expect(Buffer.from(await archived.arrayBuffer()).equals(result)).toBe(true);
  });
});
