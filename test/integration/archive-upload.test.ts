import { createHash } from 'node:crypto';
import { storageKeys } from '@esign/storage-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { signerAction } from '../support/tasks.js';

// sendResultToArchive on a document the signer uploads (issue 20): the file the signer sent is archived when the
// task completes, like a sealed result, and its archive id is in the task's status.
describe('archiving a signer upload', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('archives the uploaded file when the task completes and names the archive id in the status', async () => {
    const documentRef = await uploadOk('demo', 'For your information.', 'text/plain');
    const res = await createOrder('demo', {
      tasks: [
        {
          id: 'signer1',
          documents: [
            { id: 'info', action: 'VIEW', source: 'SESSION', documentRef },
            { id: 'passport', action: 'UPLOAD', source: 'UPLOAD', sendResultToArchive: true },
          ],
          signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };

    // What the signing portal does with a signer's file: stored under the signer-upload key, then handed to the task.
    const bytes = Buffer.from('%PDF-1.4 the signer’s passport copy');
    const objectKey = storageKeys.signerUpload('demo-merchant', id, 'signer1', 'passport');
    await c.s3.putObject(c.store.bucket, objectKey, bytes, bytes.length, { 'Content-Type': 'application/pdf' });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await signerAction(c.temporal, id, 'signer1', { type: 'VIEWED', documentId: 'info' });
    const result = { objectKey, contentType: 'application/pdf' as const, sha256, size: bytes.length };
    await signerAction(c.temporal, id, 'signer1', { type: 'UPLOADED', documentId: 'passport', result });

    const status = async () =>
      (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as {
        taskStatus: string;
        documents: Array<{ id: string; archiveId?: string }>;
      };
    await expect
      .poll(async () => (await status()).documents.find((d) => d.id === 'passport')?.archiveId, { timeout: 20_000 })
      .toBeTruthy();
    const { taskStatus, documents } = await status();
    expect(taskStatus).toBe('COMPLETED');
    expect(documents.find((d) => d.id === 'info')?.archiveId).toBeUndefined();
    const archiveId = documents.find((d) => d.id === 'passport')!.archiveId!;
    const archived = await api('demo', `/archive-documents/${archiveId}`);
    expect(archived.status).toBe(200);
    expect(Buffer.from(await archived.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
