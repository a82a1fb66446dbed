import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchiveActivities } from '@esign/archive';
import { ArchiveStore } from '@esign/archive-store';
import { startTestPki, tool, type TestPki } from '@esign/devstack';
import { loadSigningIdentity, sealPdf, textToPdf, timestampExpiry, verifyLongTerm } from '@esign/pdf-signing';
import { payloadEncryption, temporalDataConverter } from '@esign/service-runtime';
import { ids, SEARCH_ATTRIBUTES, TASK_QUEUES, type ArchiveRenewalState } from '@esign/temporal-contracts';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRenewal } from '../../services/archive/src/renewal-workflow.js';
import { stackClients } from '../../test/support/clients.js';
import { randomId, workflowsPath } from './support/order-env.js';

// Archive renewal on the time-skipping server: an archived document whose timestamps come from a TSA certificate
// that expires in 40 days gets a new document timestamp (from a TSA valid for years) when its durable timer fires
// 30 days before that, on the operator's signal, and never once it is deleted. The real archive activities over the
// stack's S3 and Redis, a test PKI of its own (certomancer) for the two TSAs.
const DAY_MS = 86_400_000;
const MARGIN_DAYS = 30;
const MERCHANT = 'demo-merchant';

describe('archiveRenewal', () => {
  let env: TestWorkflowEnvironment;
  let pki: TestPki;
  let dir: string;
  let clients: Awaited<ReturnType<typeof stackClients>>;
  let stopWorkers: () => Promise<void>;
  let archive: ReturnType<typeof createArchiveActivities>;
  let archiveStore: ArchiveStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esign-archive-renewal-'));
    const tsas = [
      { label: 'tsa', days: 10 * 365 },
      { label: 'tsa-short', days: 40 },
    ];
    pki = await startTestPki({ dataDir: dir, pki: { tsas } });
    clients = await stackClients();
    const dataConverter = temporalDataConverter(payloadEncryption(clients.config, clients.redis));
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: tool('temporal-test-server') } },
      client: { dataConverter },
    });
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: {
        [SEARCH_ATTRIBUTES.MERCHANT_ID]: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      },
    });
    const { s3, redis, config } = clients;
    archiveStore = new ArchiveStore({
      s3,
      redis,
      keyPrefix: config.redis.keyPrefix,
      bucket: config.s3.buckets.archive,
    });
    archive = createArchiveActivities({
      s3,
      redis,
      keyPrefix: config.redis.keyPrefix,
      buckets: config.s3.buckets,
      idSecret: config.signCodeSecret,
      renewal: {
        tsaUrl: pki.tsaUrl('tsa'),
        marginDays: MARGIN_DAYS,
        start: (ref) => startRenewal(env.client, ref, MARGIN_DAYS),
      },
    });
    const workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: TASK_QUEUES.ORCHESTRATOR,
        workflowsPath,
        dataConverter,
      }),
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: TASK_QUEUES.ARCHIVE,
        activities: archive,
        dataConverter,
      }),
    ]);
    const running = Promise.all(workers.map((w) => w.run()));
    stopWorkers = async () => {
      for (const w of workers) w.shutdown();
      await running;
    };
  });
  afterAll(async () => {
    await stopWorkers?.();
    await env?.teardown();
    await clients?.close();
    await pki?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A B-LTA result whose timestamps all come from the TSA whose certificate expires in 40 days, archived. */
  async function archiveShortLivedResult(): Promise<string> {
    const identity = await loadSigningIdentity({ dataDir: dir });
    const pdf = await textToPdf('Arkivert avtale', { title: 'Arkiv' });
    const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
    const sealed = await sealPdf({ pdf, identity, signer, evidence: {}, tsaUrl: pki.tsaUrl('tsa-short') });
    const objectKey = `test/${randomId()}.pdf`;
    await clients.s3.putObject(clients.config.s3.buckets.documents, objectKey, sealed, sealed.length);
    const sha256 = createHash('sha256').update(sealed).digest('hex');
    const source = { kind: 'document' as const, orderId: randomId(), taskId: 't1', documentId: 'doc-1' };
    const { archiveId } = await archive.sendResultToArchive({
      merchantId: MERCHANT,
      source,
      objectKey,
      contentType: 'application/pdf',
      sha256,
    });
    return archiveId;
  }

  const recordOf = (archiveId: string) => archiveStore.getRecord(MERCHANT, archiveId);
  const bytesOf = async (archiveId: string) => {
    const archived = await archiveStore.get(MERCHANT, archiveId);
    const chunks: Buffer[] = [];
    for await (const chunk of archived!.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('renews before the timestamp expires, on the signal, and stops once the document is deleted', async () => {
    const archiveId = await archiveShortLivedResult();
    const original = await bytesOf(archiveId);
    const handle = env.client.workflow.getHandle(ids.archiveRenewal(archiveId));
    // The durable timer: due 10 days on (40-day certificate, 30-day margin); nothing renewed before it fires.
    await expect
      .poll(async () => (await handle.query<ArchiveRenewalState>('archiveRenewalState')).renewAt)
      .toBeDefined();
    const planned = await handle.query<ArchiveRenewalState>('archiveRenewalState');
    const start = await env.currentTimeMs();
    expect(Math.round((Date.parse(planned.renewAt!) - start) / DAY_MS)).toBe(10);
    await env.sleep(9 * DAY_MS);
    expect((await recordOf(archiveId))?.renewals).toBeUndefined();
    await env.sleep(2 * DAY_MS);
    await expect.poll(async () => (await recordOf(archiveId))?.renewals, { timeout: 60_000 }).toBe(1);

    const renewed = await bytesOf(archiveId);
    expect(renewed.subarray(0, original.length).equals(original)).toBe(true);
    const expiry = await timestampExpiry(renewed);
    expect(Math.round((expiry!.getTime() - Date.now()) / DAY_MS)).toBe(3650);
    // Past the short TSA certificate's expiry, the renewed document still validates (pyHanko, AdES LTA).
    const later = new Date(Date.now() + 400 * DAY_MS).toISOString();
    const verdicts = await verifyLongTerm(renewed, { caPems: [pki.rootPem] }, { at: later });
    expect(verdicts.signatures, verdicts.raw).toMatchObject([{ indication: 'PASSED' }]);
    expect((await verifyLongTerm(original, { caPems: [pki.rootPem] }, { at: later })).signatures).toMatchObject([
      { indication: 'INDETERMINATE' },
    ]);
    // Next round planned 30 days before the new timestamp's expiry.
    await expect.poll(async () => (await handle.query<ArchiveRenewalState>('archiveRenewalState')).renewals).toBe(1);
    const next = await handle.query<ArchiveRenewalState>('archiveRenewalState');
    expect(next.timestampExpiresAt).toBe(expiry!.toISOString());

    // The operator command.
    await handle.signal('renewArchiveNow');
    await expect.poll(async () => (await recordOf(archiveId))?.renewals, { timeout: 60_000 }).toBe(2);

    // Deleted from the archive: the next renewal finds it gone, and the workflow ends.
    expect(await archiveStore.delete(MERCHANT, archiveId)).toBe(true);
    // A renewal of its own may find the deletion first (the server skips time whenever nothing runs): then the
    // workflow has ended already and takes no signal; either way it ends GONE.
    await handle.signal('renewArchiveNow').catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
    expect(await handle.result()).toBe('GONE');
    const left: string[] = [];
    const prefix = `archive/${MERCHANT}/${archiveId}`;
    for await (const item of clients.s3.listObjectsV2(clients.config.s3.buckets.archive, prefix, true)) {
      left.push((item as { name: string }).name);
    }
    expect(left).toEqual([]);
  });
});
