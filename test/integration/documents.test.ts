import { request } from 'node:http';
import { storageKeys } from '@esign/storage-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl, stackClients } from '../support/clients.js';
import { makePdf, sha256, upload, uploadOk } from '../support/documents.js';
import { accessToken, api, MERCHANTS } from '../support/merchants.js';
import { incompleteUploads, objectKeys } from '../support/objects.js';
import { createOrder, simpleOrder } from '../support/orders.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

/** Sends a raw request, so the test controls Content-Length and chunking exactly. */
function rawUpload(opts: {
  headers: Record<string, string>;
  chunks: Buffer[];
}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(gatewayUrl('/enterprise/sign/documents'), { method: 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of opts.chunks) req.write(chunk);
    req.end();
  });
}

// Uploads round trip, refusals leave nothing, deletion, isolation. Expiry, stalled uploads and storage outages, each
// with a gateway of its own: documents-*.test.ts.
describe('Session Data Storage documents', () => {
  let c: Clients;
  const demoPrefix = `uploads/${MERCHANTS.demo.merchantId}/`;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c.close();
  });

  it('round-trips a binary PDF byte for byte, with its type, size and SHA-256', async () => {
    const pdf = await makePdf(3, 64 * 1024);
    const documentId = await uploadOk('demo', pdf, 'application/pdf');
    expect(documentId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const res = await api('demo', `/documents/${documentId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('etag')).toBe(`"${sha256(pdf)}"`);
    const back = Buffer.from(await res.arrayBuffer());
    expect(back.equals(pdf)).toBe(true);
    const meta = await c.store.getMeta('demo-merchant', documentId);
    expect(meta).toMatchObject({ merchantId: 'demo-merchant', size: pdf.length, sha256: sha256(pdf) });
  });

  it('round-trips unicode text, and a 12 MiB PDF sent with a length and sent chunked', async () => {
    const text = 'Avtale – signér her ✍️ 日本語 Ω\r\nLine two\u0000end';
    const textId = await uploadOk('demo', text, 'text/plain; charset=utf-8');
    const res = await api('demo', `/documents/${textId}`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(text);

    // With a Content-Length the bytes stream through one presigned PUT; chunked, they go multipart.
    const big = await makePdf(2, 12 * 1024 * 1024);
    const bigId = await uploadOk('demo', big, 'application/pdf');
    const back = Buffer.from(await (await api('demo', `/documents/${bigId}`)).arrayBuffer());
    expect(sha256(back)).toBe(sha256(big));
    const chunked = await rawUpload({
      headers: {
        authorization: `Bearer ${await accessToken('demo')}`,
        'content-type': 'application/pdf',
        'transfer-encoding': 'chunked',
      },
      chunks: Array.from({ length: 13 }, (_, i) => big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024)),
    });
    expect(chunked.status).toBe(201);
    const chunkedId = (JSON.parse(chunked.body) as { documentId: string }).documentId;
    const chunkedBack = Buffer.from(await (await api('demo', `/documents/${chunkedId}`)).arrayBuffer());
    expect(sha256(chunkedBack)).toBe(sha256(big));
  });

  it('rejects bad uploads with a clear problem and leaves nothing behind', async () => {
    const before = await objectKeys(c, demoPrefix);
    const pdf = await makePdf();
    const brokenXref = Buffer.from(pdf.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n17'), 'latin1');
    const cases: Array<[string, Buffer | string, string, number]> = [
      ['empty', Buffer.alloc(0), 'application/pdf', 400],
      ['not a PDF', '<html>hello</html>', 'application/pdf', 400],
      ['a PDF with a broken xref', brokenXref, 'application/pdf', 400],
      ['invalid UTF-8', Buffer.from([0x41, 0xff, 0xfe, 0x42]), 'text/plain', 400],
      ['latin-1 text', 'plain', 'text/plain; charset=iso-8859-1', 415],
      ['an image', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png', 415],
      ['JSON', '{"a":1}', 'application/json', 415],
    ];
    for (const [name, body, type, status] of cases) {
      const res = await upload('demo', body, type);
      expect(res.status, name).toBe(status);
      expect(res.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail.length, name).toBeGreaterThan(5);
    }
    expect(await objectKeys(c, demoPrefix)).toEqual(before);
    expect(await incompleteUploads(c, demoPrefix)).toBe(0);
  });

  it('answers 413 from Content-Length before reading, and while streaming a chunked body', async () => {
    const before = await objectKeys(c, demoPrefix);
    const auth = `Bearer ${await accessToken('demo')}`;
    const declared = await rawUpload({
      headers: { authorization: auth, 'content-type': 'application/pdf', 'content-length': String(30 * 1024 * 1024) },
      chunks: [Buffer.from('%PDF-1.7\n')],
    });
    expect(declared.status).toBe(413);
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    const streamed = await rawUpload({
      headers: { authorization: auth, 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      chunks: Array.from({ length: 27 }, () => chunk),
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ status: 413 });
    expect(await objectKeys(c, demoPrefix)).toEqual(before);
    expect(await incompleteUploads(c, demoPrefix)).toBe(0);
  });

  it('deletes a document: 204, then 404 for GET and DELETE, and the object is gone', async () => {
    const id = await uploadOk('demo', 'to be deleted', 'text/plain');
    expect((await api('demo', `/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('demo', `/documents/${id}`)).status).toBe(404);
    expect((await api('demo', `/documents/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await objectKeys(c, storageKeys.uploadObject('demo-merchant', id))).toEqual([]);
  });

  it("isolates merchants: another merchant's document answers exactly like a missing one", async () => {
    const id = await uploadOk('demo', 'secret agreement', 'text/plain');
    const missing = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const method of ['GET', 'DELETE']) {
      const foreign = await api('other', `/documents/${id}`, { method });
      const absent = await api('other', `/documents/${missing}`, { method });
      expect(foreign.status).toBe(404);
      const strip = (b: Record<string, unknown>) => ({ ...b, traceId: undefined });
      expect(strip((await foreign.json()) as Record<string, unknown>)).toEqual(
        strip((await absent.json()) as Record<string, unknown>),
      );
    }
    // and the owner still has it
    expect(await (await api('demo', `/documents/${id}`)).text()).toBe('secret agreement');
  });

  it('deletes an upload an order uses: 204 at once, and the order keeps its own copy', async () => {
    const { documentRef, order } = await simpleOrder('demo');
    const created = await createOrder('demo', order);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Deleted right after the 201, most likely before the order's first activity copied it: its reservation holds.
    expect((await api('demo', `/documents/${documentRef}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('demo', `/documents/${documentRef}`)).status).toBe(404);
    await expect
      .poll(async () => (await c.orders.getOrder('demo-merchant', id))?.orderId, { timeout: 15_000 })
      .toBe(id);
    const original = await api('demo', `/orders/${id}/tasks/signer1/documents/doc1/original`);
    expect(original.status).toBe(200);
    expect(await original.text()).toBe('Please sign this agreement.');
    expect((await api('demo', `/documents/${documentRef}`, { method: 'DELETE' })).status).toBe(404);
  });
});
