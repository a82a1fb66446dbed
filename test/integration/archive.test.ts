import { setTimeout as sleep } from 'node:timers/promises';
import { createArchiveActivities } from '@esign/archive';
import { ERROR_TYPES, type ArchiveInput, type ArchiveRecord } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { newId } from '@esign/temporal-contracts/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { makePdf, sha256 } from '../support/documents.js';
import { api, MERCHANTS } from '../support/merchants.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

const DEMO = MERCHANTS.demo.merchantId;
const OTHER = MERCHANTS.other.merchantId;

// The archive activities run here, in the test process, against the stack's real S3 and Redis, built exactly as the
// archive service builds them; the gateway under test serves what they archived.
describe('archive (contract §8)', () => {
  let c: Clients;
  let activities: ReturnType<typeof createArchiveActivities>;
  beforeAll(async () => {
    c = await stackClients();
    activities = createArchiveActivities({
      s3: c.s3,
      redis: c.redis,
      keyPrefix: c.config.redis.keyPrefix,
      buckets: c.config.s3.buckets,
      idSecret: c.config.signCodeSecret,
    });
  });
  afterAll(async () => {
    await c.close();
  });

  const archiveBucket = () => c.config.s3.buckets.archive;
  const documentsBucket = () => c.config.s3.buckets.documents;

  /** A task document's result, put where document-storage puts results; its order id is fresh for each call. */
  async function sourceDocument(merchantId: string = DEMO, bytes?: Buffer) {
    const orderId = newId();
    const body = bytes ?? (await makePdf(2, 32 * 1024));
    const objectKey = storageKeys.documentResult(merchantId, orderId, 'signer1', 'doc1', 'result');
    await c.s3.putObject(documentsBucket(), objectKey, body, body.length, { 'Content-Type': 'application/pdf' });
    const input: ArchiveInput = {
      merchantId,
      source: { kind: 'document', orderId, taskId: 'signer1', documentId: 'doc1' },
      objectKey,
      contentType: 'application/pdf',
      sha256: sha256(body),
    };
    return { orderId, objectKey, body, input };
  }

  const archivedStat = (merchantId: string, archiveId: string) =>
    c.s3.statObject(archiveBucket(), storageKeys.archiveObject(merchantId, archiveId));
  const recordOf = async (merchantId: string, archiveId: string) => {
    const raw = await c.redis.get(c.config.redis.keyPrefix + storageKeys.archiveMeta(merchantId, archiveId));
    return raw ? (JSON.parse(raw) as ArchiveRecord) : null;
  };
  const problem = async (res: Response) => ({ ...((await res.json()) as Record<string, unknown>), traceId: undefined });

  it('archives a result and serves it byte for byte to its merchant, with type, length and SHA-256', async () => {
    const { input, body } = await sourceDocument();
    const { archiveId } = await activities.sendResultToArchive(input);
    expect(archiveId).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const res = await api('demo', `/archive-documents/${archiveId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(res.headers.get('etag')).toBe(`"${sha256(body)}"`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);

    expect(await recordOf(DEMO, archiveId)).toMatchObject({
      archiveId,
      merchantId: DEMO,
      objectKey: storageKeys.archiveObject(DEMO, archiveId),
      contentType: 'application/pdf',
      size: body.length,
      sha256: sha256(body),
      source: input.source,
    });
  });

  it('archiving the same source again answers the same id and leaves the stored copy untouched', async () => {
    const { input } = await sourceDocument();
    const first = await activities.sendResultToArchive(input);
    const before = await archivedStat(DEMO, first.archiveId);
    const recordBefore = await recordOf(DEMO, first.archiveId);
    await sleep(1100); // Last-Modified has a resolution of one second: a rewrite would show now
    const again = await activities.sendResultToArchive(input);
    expect(again.archiveId).toBe(first.archiveId);
    const after = await archivedStat(DEMO, first.archiveId);
    expect(after.lastModified.getTime()).toBe(before.lastModified.getTime());
    expect(after.etag).toBe(before.etag);
    expect(await recordOf(DEMO, first.archiveId)).toEqual(recordBefore);

    // Concurrent calls (a retry racing the attempt it replaces) make one copy with one id, too.
    const { input: raced } = await sourceDocument();
    const results = await Promise.all([1, 2, 3].map(() => activities.sendResultToArchive(raced)));
    expect(new Set(results.map((r) => r.archiveId)).size).toBe(1);
  });

  it('never overwrites an archived copy: a changed source with new bytes fails with Conflict, the original stays', async () => {
    const { input, objectKey, body } = await sourceDocument();
    const { archiveId } = await activities.sendResultToArchive(input);
    const before = await archivedStat(DEMO, archiveId);

    const changed = Buffer.concat([body, Buffer.from('\n% changed afterwards\n')]);
    await c.s3.putObject(documentsBucket(), objectKey, changed, changed.length, { 'Content-Type': 'application/pdf' });
    // Decision: the first copy of a source is the archived one for good; asking to archive other bytes for the same
    // source is refused (non-retryable Conflict) rather than answered with an id that names different bytes.
    await expect(activities.sendResultToArchive({ ...input, sha256: sha256(changed) })).rejects.toMatchObject({
      type: ERROR_TYPES.CONFLICT,
      nonRetryable: true,
    });
    // Asking with the archived bytes' SHA-256 is a plain retry: the same id, whatever the source holds now.
    expect((await activities.sendResultToArchive(input)).archiveId).toBe(archiveId);

    const res = await api('demo', `/archive-documents/${archiveId}`);
    expect(res.headers.get('etag')).toBe(`"${sha256(body)}"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    const after = await archivedStat(DEMO, archiveId);
    expect([after.etag, after.lastModified.getTime()]).toEqual([before.etag, before.lastModified.getTime()]);
  });

  it('refuses to archive bytes that do not match the expected SHA-256, and archives nothing', async () => {
    const { input } = await sourceDocument();
    await expect(
      activities.sendResultToArchive({ ...input, sha256: sha256(Buffer.from('other')) }),
    ).rejects.toMatchObject({ type: ERROR_TYPES.CONFLICT, nonRetryable: true });
    // The id of that source, as a correct call gives it, then names a copy made by that correct call only.
    const { archiveId } = await activities.sendResultToArchive(input);
    expect((await api('demo', `/archive-documents/${archiveId}`)).status).toBe(200);
  });

  it("answers another merchant's archive id exactly like an unknown one: 404", async () => {
    const { input } = await sourceDocument();
    const { archiveId } = await activities.sendResultToArchive(input);
    const foreign = await api('other', `/archive-documents/${archiveId}`);
    const unknown = await api('other', `/archive-documents/${'A'.repeat(43)}`);
    const malformed = await api('other', `/archive-documents/not.an.id`);
    expect([foreign.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const expected = await problem(unknown);
    expect(expected).toMatchObject({ status: 404, title: 'Not Found' });
    expect(await problem(foreign)).toEqual(expected);
    expect(await problem(malformed)).toEqual(expected);
    const foreignDelete = await api('other', `/archive-documents/${archiveId}`, { method: 'DELETE' });
    expect(foreignDelete.status).toBe(404);
    expect(await problem(foreignDelete)).toEqual(expected);
    expect((await api('demo', `/archive-documents/${archiveId}`)).status).toBe(200);
  });

  it('DELETE answers 204 and removes the object and its record; afterwards 404', async () => {
    const { input } = await sourceDocument();
    const { archiveId } = await activities.sendResultToArchive(input);
    expect((await api('demo', `/archive-documents/${archiveId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('demo', `/archive-documents/${archiveId}`)).status).toBe(404);
    expect((await api('demo', `/archive-documents/${archiveId}`, { method: 'DELETE' })).status).toBe(404);
    expect(await recordOf(DEMO, archiveId)).toBeNull();
    await expect(archivedStat(DEMO, archiveId)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('outlives the order: deleting the source and the order keys leaves the archived copy intact', async () => {
    const { input, orderId, body } = await sourceDocument();
    const orderKey = c.config.redis.keyPrefix + storageKeys.order(DEMO, orderId);
    await c.redis.set(orderKey, JSON.stringify({ orderId, merchantId: DEMO }));
    const { archiveId } = await activities.sendResultToArchive(input);

    // What deleting the order does to its documents: every result under the order's prefix and its read model go.
    const prefix = storageKeys.orderResults(DEMO, orderId);
    const keys: string[] = [];
    for await (const item of c.s3.listObjectsV2(documentsBucket(), prefix, true)) if (item.name) keys.push(item.name);
    expect(keys).toEqual([input.objectKey]);
    await c.s3.removeObjects(documentsBucket(), keys);
    await c.redis.del(orderKey);

    const res = await api('demo', `/archive-documents/${archiveId}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    // A retried archiving after the order is gone still answers the id of the copy it made.
    expect((await activities.sendResultToArchive(input)).archiveId).toBe(archiveId);
  });

  it('fails with a non-retryable NotFound when the source does not exist', async () => {
    const orderId = newId();
    await expect(
      activities.sendResultToArchive({
        merchantId: DEMO,
        source: { kind: 'document', orderId, taskId: 'signer1', documentId: 'doc1' },
        objectKey: storageKeys.documentResult(DEMO, orderId, 'signer1', 'doc1', 'result'),
        contentType: 'application/pdf',
        sha256: sha256(Buffer.from('never stored')),
      }),
    ).rejects.toMatchObject({ type: ERROR_TYPES.NOT_FOUND, nonRetryable: true });
  });

  it('gives ids of at least 128 bits that differ per merchant for the same source; packages archive alike', async () => {
    const shared = await sourceDocument(DEMO);
    const otherBody = await makePdf(1);
    const otherKey = storageKeys.documentResult(OTHER, shared.orderId, 'signer1', 'doc1', 'result');
    await c.s3.putObject(documentsBucket(), otherKey, otherBody, otherBody.length, {
      'Content-Type': 'application/pdf',
    });
    const demoId = (await activities.sendResultToArchive(shared.input)).archiveId;
    const otherId = (
      await activities.sendResultToArchive({
        ...shared.input,
        merchantId: OTHER,
        objectKey: otherKey,
        sha256: sha256(otherBody),
      })
    ).archiveId;
    expect(otherId).not.toBe(demoId);
    for (const id of [demoId, otherId]) expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(Buffer.from(await (await api('other', `/archive-documents/${otherId}`)).arrayBuffer())).toEqual(otherBody);
    expect((await api('demo', `/archive-documents/${otherId}`)).status).toBe(404);

    // A packaging task's package, from its own key, gets an id of its own (another kind of source).
    const pkg = await makePdf(3);
    const pkgKey = storageKeys.packagingResult(DEMO, shared.orderId, 'package1');
    await c.s3.putObject(documentsBucket(), pkgKey, pkg, pkg.length, { 'Content-Type': 'application/pdf' });
    const { archiveId: pkgId } = await activities.sendToArchive({
      merchantId: DEMO,
      source: { kind: 'packaging', orderId: shared.orderId, packagingTaskId: 'package1' },
      objectKey: pkgKey,
      contentType: 'application/pdf',
      sha256: sha256(pkg),
    });
    expect(new Set([demoId, otherId, pkgId]).size).toBe(3);
    const res = await api('demo', `/archive-documents/${pkgId}`);
    expect(res.headers.get('etag')).toBe(`"${sha256(pkg)}"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(pkg)).toBe(true);
  });
});
