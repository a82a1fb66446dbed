import { readFileSync } from 'node:fs';
import { createInflate, inflateSync } from 'node:zlib';
import { OPERATIONS, pathParameters } from '@esign/contracts';
import { describe, expect, inject, it } from 'vitest';
import { CORPUS } from '../fuzz/corpus.js';
import { sendRaw } from '../fuzz/corpus/answers.js';
import { HOSTILE_IDS } from '../fuzz/corpus/path.js';
import { validOrder } from '../fuzz/corpus/requests.js';
import { compressionBombPdf, firstStream } from '../fuzz/pdfs.js';
import { gatewayOperatorUrl, gatewayUrl } from '../support/clients.js';
import { sha256, upload, uploadOk } from '../support/documents.js';
import { context, expectCase, hostileInput, MERCHANT, token } from '../support/hostile-input.js';
import { api, MERCHANTS } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { tokenRequest } from '../support/token.js';

const stack = inject('stack');

/** Resident memory of a process, from /proc. */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Bytes a zlib stream inflates to, counted as they come, up to `cap`. */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const inflate = createInflate();
    inflate.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n >= cap) {
        inflate.destroy();
        resolve(n);
      }
    });
    inflate.on('end', () => resolve(n));
    inflate.on('error', reject);
    inflate.end(data);
  });
}

// The hostile-input corpus of test/fuzz/corpus.ts against the test stack: every case answered as the contract asks
// (a 4xx problem+json that names the problem, with a violation at the right field where there is one) and, for
// each refusal, nothing new in the merchant's storage: no Redis key, no object, no unfinished multipart upload, no
// order. Then a PDF the contract accepts but must store harmlessly, a compression bomb; and the gateway still the
// same healthy process afterwards. The rest of the accepted inputs that must be rendered harmless are in
// hostile-input-*.test.ts: a PDF with JavaScript, header injection in accepted text, SSRF targets that only a
// loopback-refusing server refuses.
describe('hostile input', () => {
  hostileInput();

  describe('corpus', () => {
    for (const k of CORPUS.filter((k) => k.group !== 'path')) {
      it(`${k.group}: ${k.name} → ${k.status}`, () => expectCase(k));
    }

    // Path cases per operation: every hostile value of HOSTILE_IDS in every path parameter.
    for (const op of OPERATIONS.filter((op) => pathParameters(op.path).length > 0)) {
      it(`path: ${op.method.toUpperCase()} ${op.path} with traversal, NUL, CR LF, bad escapes and overlong ids`, async () => {
        const cases = CORPUS.filter((k) => k.name.startsWith(`${op.method.toUpperCase()} ${op.path} with `));
        expect(cases).toHaveLength(HOSTILE_IDS.length);
        for (const k of cases) {
          const answer = await expectCase(k);
          // A CR LF in the path never becomes a header of the answer.
          expect(answer.headers['set-cookie'], k.name).toBeUndefined();
        }
      });
    }

    it('answers a 100 kB request line with 431 problem+json (before any route) and keeps serving', async () => {
      const answer = await sendRaw(
        gatewayUrl(),
        { method: 'GET', path: `/enterprise/sign/orders/${'A'.repeat(100_000)}` },
        token,
      );
      // Node's HTTP parser refuses it (headers over 16 KiB) before express sees it; answered like every refusal.
      expect(answer.status).toBe(431);
      expect(answer.contentType).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
      expect((await api(MERCHANT, `/documents/${context.documentRef}`)).status).toBe(200);
    });

    it('serves a valid token request right after refusing an oversized one (no poisoned connection)', async () => {
      const huge = CORPUS.find((k) => k.name === 'a 3 MB token request body')!;
      for (let i = 0; i < 3; i++) {
        expect((await sendRaw(gatewayUrl(), huge.request(context), token)).status).toBe(413);
        const { clientId, secret } = MERCHANTS.other;
        const res = await tokenRequest(gatewayUrl('/auth/open/connect/token'), clientId, secret, 'post');
        expect(res.status).toBe(200);
      }
    });

    it('accepts a right-to-left override in free text as text, and gives it back unchanged', async () => {
      const clientReference = 'invoice-\u202egnp.exe';
      // Its own upload: deleting the order deletes the documents it took.
      const documentRef = await uploadOk(MERCHANT, 'Agreement', 'text/plain');
      const res = await createOrder(MERCHANT, validOrder({ ...context, documentRef }, {}, { clientReference }));
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const read = (await (await api(MERCHANT, `/orders/${id}`)).json()) as { clientReference: string };
      expect(read.clientReference).toBe(clientReference);
      expect((await api(MERCHANT, `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
    });
  });

  describe('PDFs the contract accepts', () => {
    it('stores a compression bomb as bytes, in constant memory, and never inflates it', async () => {
      const { pdf, inflatedBytes } = compressionBombPdf(4);
      // It is one: ~10 kB whose content stream inflates (twice) to 4 GiB; the second layer alone passes 64 MiB.
      expect(pdf.length).toBeLessThan(20_000);
      expect(inflatedBytes).toBe(4 * 2 ** 30);
      expect(await inflatedSize(inflateSync(firstStream(pdf)), 64 * 2 ** 20)).toBeGreaterThanOrEqual(64 * 2 ** 20);

      const pid = stack.servicePids.gateway!;
      const rssBefore = rssBytes(pid);
      const res = await upload(MERCHANT, pdf, 'application/pdf');
      // It starts with %PDF- and its structure parses: accepted (contract §3); what it would decode to is no matter.
      expect(res.status).toBe(201);
      const { documentId } = (await res.json()) as { documentId: string };
      expect(rssBytes(pid) - rssBefore).toBeLessThan(64 * 2 ** 20);
      const back = Buffer.from(await (await api(MERCHANT, `/documents/${documentId}`)).arrayBuffer());
      expect(sha256(back)).toBe(sha256(pdf));

      // In an order, the PDF the signer is shown is the same bytes, streamed as stored.
      const order = validOrder({ ...context, documentRef: documentId });
      const created = await createOrder(MERCHANT, order);
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const shown = await api(MERCHANT, `/orders/${id}/tasks/signer1/documents/doc1/generated`);
      expect(shown.status).toBe(200);
      expect(sha256(Buffer.from(await shown.arrayBuffer()))).toBe(sha256(pdf));
      expect(rssBytes(pid) - rssBefore).toBeLessThan(64 * 2 ** 20);
      expect((await fetch(gatewayOperatorUrl('/healthz'))).status).toBe(200);
      expect((await api(MERCHANT, `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
    });
  });

  it('leaves the gateway alive and healthy: same process, no restart', async () => {
    const pid = stack.servicePids.gateway!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect((await fetch(gatewayOperatorUrl('/healthz'))).status).toBe(200);
    expect((await fetch(gatewayOperatorUrl('/readyz'))).status).toBe(200);
  });
});
