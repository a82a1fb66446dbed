import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients, gatewayUrl } from '../../../test/support/clients.js';
import { makePdf, sha256 } from '../../../test/support/documents.js';
import { MERCHANTS } from '../../../test/support/merchants.js';
import { signDocument, testSeal } from '../../../test/support/tasks.js';
import { GENERATED_FILE, generateApiTypes } from '../src/codegen/generate.js';
import { ClientCredentials, SignApiError, SignClient, TokenError } from '../src/index.js';

// The SDK against the real stack: every helper on real answers, token requests counted through the fetch it uses.
describe('@esign/client on the stack', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  const dir = mkdtempSync(join(tmpdir(), 'esign-sdk-'));
  const tokenRequests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/connect/token')) tokenRequests.push(url);
    return fetch(input, init);
  };
  const sdk = new SignClient({
    baseUrl: gatewayUrl('/enterprise/sign'),
    clientId: MERCHANTS.demo.clientId,
    clientSecret: MERCHANTS.demo.secret,
    fetch: counting,
  });
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await c?.close();
  });

  it('was generated from the OpenAPI document the gateway serves', async () => {
    const served = (await (await fetch(gatewayUrl('/enterprise/sign/openapi.json'))).json()) as Record<string, unknown>;
    expect(await generateApiTypes(served)).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('uploads from a file and from a stream, with one token for many calls', async () => {
    const pdf = await makePdf(2);
    const file = join(dir, 'contract.pdf');
    writeFileSync(file, pdf);
    const before = tokenRequests.length;
    const fromFile = await sdk.upload(file);
    const fromStream = await sdk.upload(Readable.from(['Plain ', 'text, ', 'streamed.']), {
      contentType: 'text/plain',
    });
    const read = await sdk.api.GET('/documents/{documentId}', {
      params: { path: { documentId: fromFile.documentId } },
      parseAs: 'arrayBuffer',
    });
    expect(sha256(Buffer.from(read.data!))).toBe(sha256(pdf));
    const text = await sdk.api.GET('/documents/{documentId}', {
      params: { path: { documentId: fromStream.documentId } },
      parseAs: 'text',
    });
    expect(text.data).toBe('Plain text, streamed.');
    // the first authorized calls of this client: one token for all of them
    expect(before).toBe(0);
    expect(tokenRequests).toHaveLength(1);
  });

  it('creates an order once per Idempotency-Key, waits for the signer and downloads the result', async () => {
    const { documentId } = await sdk.upload(Buffer.from('Agreement'), { contentType: 'text/plain' });
    const order = {
      clientReference: 'sdk-test',
      tasks: [
        {
          id: 'signer1',
          documents: [{ id: 'doc1', action: 'SIGN' as const, source: 'SESSION' as const, documentRef: documentId }],
          signatureMethods: [{ name: 'nbid-sign' }],
        },
      ],
    };
    const first = await sdk.createOrder(order, { idempotencyKey: `sdk-${documentId}` });
    const again = await sdk.createOrder(order, { idempotencyKey: `sdk-${documentId}` });
    expect(again.id).toBe(first.id);
    expect(first.tasks[0]!.signingUrl).toMatch(/sign_code=/);
    const conflict = await sdk
      .createOrder({ ...order, clientReference: 'other' }, { idempotencyKey: `sdk-${documentId}` })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(SignApiError);
    expect((conflict as SignApiError).status).toBe(409);

    const waiting = sdk.waitForTask(first.id, 'signer1', { initialIntervalMs: 100, timeoutMs: 60_000 });
    await signDocument(c.temporal, first.id, 'signer1', 'doc1', testSeal());
    const status = await waiting;
    expect(status).toMatchObject({ orderId: first.id, taskId: 'signer1', taskStatus: 'COMPLETED' });
    const events = await sdk.taskEvents(first.id, 'signer1');
    expect(events.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(['TASK_CREATED', 'DOCUMENT_SIGNED', 'TASK_COMPLETED']),
    );

    const out = join(dir, 'result.pdf');
    const downloaded = await sdk.downloadTaskResult(first.id, 'signer1', 'doc1', out);
    expect(downloaded).toMatchObject({ file: out, contentType: 'application/pdf' });
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(out).length).toBe(downloaded.bytes);
  });

  it('turns problem answers into typed errors with violations and trace id', async () => {
    const invalid = await sdk
      .createOrder({ tasks: [{ id: '', documents: [], signatureMethods: [] }] })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(SignApiError);
    const e = invalid as SignApiError;
    expect(e.status).toBe(400);
    expect(e.violations.map((v) => v.propertyPath)).toEqual(expect.arrayContaining(['tasks[0].id']));
    expect(e.traceId).toMatch(/^[0-9a-f]{32}$/);

    const missing = await sdk.taskStatus('no-such-order', 'signer1').catch((err: unknown) => err);
    expect(missing).toMatchObject({ name: 'SignApiError', status: 404 });
    const none = await sdk.downloadArchived('no-such-archive', join(dir, 'none.pdf')).catch((err: unknown) => err);
    expect(none).toMatchObject({ status: 404 });
    expect(() => readFileSync(join(dir, 'none.pdf'))).toThrow();
    expect(() => readFileSync(join(dir, 'none.pdf.part'))).toThrow();
  });

  it('says why a token was refused', async () => {
    const wrong = new SignClient({
      baseUrl: gatewayUrl('/enterprise/sign'),
      clientId: 'demo-merchant',
      clientSecret: 'wrong-secret',
    });
    const err = await wrong.taskStatus('x', 'y').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect(err).toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('caches a token until shortly before it expires, with one request for concurrent callers', async () => {
    let now = Date.now();
    const requests: string[] = [];
    const credentials = new ClientCredentials({
      tokenUrl: gatewayUrl('/auth/open/connect/token'),
      clientId: MERCHANTS.demo.clientId,
      clientSecret: MERCHANTS.demo.secret,
      now: () => now,
      fetch: (input, init) => {
        requests.push(String(input));
        return fetch(input, init);
      },
    });
    const [a, b] = await Promise.all([credentials.token(), credentials.token()]);
    expect(a).toBe(b);
    expect(await credentials.token()).toBe(a);
    expect(requests).toHaveLength(1);
    now += 539_000; // the token lives 600 s and is renewed 60 s before
    expect(await credentials.token()).toBe(a);
    now += 2_000;
    await credentials.token();
    expect(requests).toHaveLength(2);
    credentials.invalidate();
    await credentials.token();
    expect(requests).toHaveLength(3);
  });
});
