import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDocumentActivities, createOrderActivities } from '@esign/document-storage';
import { createSealingActivities, type SealingDeps } from '@esign/sealing';
import { createMailTransport, createNotificationActivities, createSmsClient } from '@esign/notification';
import { validateSigningOrder, type SigningOrder } from '@esign/contracts';
import { beginOrder } from '@esign/order-creation';
import { CreationReservations } from '@esign/order-store';
import { createArchiveActivities } from '@esign/archive';
import {
  ids,
  ORDER_MESSAGES,
  SEARCH_ATTRIBUTES,
  TASK_QUEUES,
  type ClaimedUpload,
  type CreationResult,
  type OrderStateView,
  type OrderTaskInput,
  type SealRequest,
  type SignerAction,
  type SignerActionResult,
  type SigningOrderInput,
} from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { tool } from '@esign/devstack';
import { payloadEncryption, temporalDataConverter } from '@esign/service-runtime';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { stackClients } from '../../../test/support/clients.js';
import { stackSigningIdentity } from '../../../test/support/signing.js';
import { recordPayloadKeys } from './replay-codec.js';

export const MERCHANT = 'demo-merchant';
export const WORKFLOW_QUEUE = 'orders-time-skipping';
export const workflowsPath = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const HISTORIES = new URL('../histories/', import.meta.url);

export const randomId = () => randomBytes(12).toString('base64url');

/**
 * The order workflows on the time-skipping test server, with the real activities over the integration stack's Redis
 * and S3: a workflow worker on its own queue, activity workers on `document-storage`, `sealing`, `archive` (and
 * `notification`).
 */
export async function startOrderEnv(
  opts: {
    notifications?: boolean;
    /** Sealing settings (e.g. a TSA, a level, a failure counter; another key than the stack's). */
    sealing?: Partial<Omit<SealingDeps, 'store' | 'orders'>>;
  } = {},
) {
  const clients = await stackClients();
  // Payloads encrypted as in the services: orders' data keys in the stack's Redis.
  const encryption = payloadEncryption(clients.config, clients.redis);
  const dataConverter = temporalDataConverter(encryption);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: tool('temporal-test-server') } },
    client: { dataConverter },
  });
  // The test server knows no custom search attributes until told, and the order workflow upserts them.
  const keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((name) => [name, keyword])),
  });
  const { redis, s3, config, store, orders } = clients;
  const reservations = new CreationReservations({ redis, keyPrefix: config.redis.keyPrefix });
  const mail = opts.notifications ? createMailTransport(config.smtp) : undefined;
  // The stack's seal key (its test PKI's, in a SoftHSM2 token).
  const identity = stackSigningIdentity(inject('stack'));
  const workers = await Promise.all([
    Worker.create({ connection: env.nativeConnection, taskQueue: WORKFLOW_QUEUE, workflowsPath, dataConverter }),
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
      dataConverter,
      activities: {
        ...createDocumentActivities({ s3, redis, config, store }),
        ...createOrderActivities({ store, orders, reservations, config, orderKeys: encryption.orderKeys }),
      },
    }),
    // The real sealing activities, with the stack's key.
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.SEALING,
      dataConverter,
      activities: createSealingActivities({ store, orders, identity: () => identity, ...opts.sealing }),
    }),
    // The real archive activities over the stack's S3 and Redis.
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.ARCHIVE,
      dataConverter,
      activities: createArchiveActivities({
        s3,
        redis,
        keyPrefix: config.redis.keyPrefix,
        buckets: config.s3.buckets,
        idSecret: config.signCodeSecret,
      }),
    }),
    // The real notification activities, sending to the integration stack's SMTP server and SMS sink.
    ...(mail
      ? [
          Worker.create({
            connection: env.nativeConnection,
            taskQueue: TASK_QUEUES.NOTIFICATION,
            dataConverter,
            activities: createNotificationActivities({
              mail,
              sms: createSmsClient(config.twilio),
              redis,
              keyPrefix: config.redis.keyPrefix,
              config,
            }),
          }),
        ]
      : []),
  ]);
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    env,
    config,
    client: env.client,
    /** The payload encryption of the workers and the client (orders' data keys in the stack's Redis). */
    encryption,
    store,
    orders,
    redis,
    s3,
    /** Uploads a small text document directly through the store, as the gateway would. */
    async upload(): Promise<{ documentId: string; objectKey: string }> {
      const documentId = randomId();
      const objectKey = storageKeys.uploadObject(MERCHANT, documentId);
      const body = Buffer.from(`document ${documentId}`);
      await s3.putObject(store.bucket, objectKey, body, body.length, { 'Content-Type': 'text/plain' });
      const now = new Date();
      await store.saveMeta({
        documentId,
        merchantId: MERCHANT,
        contentType: 'text/plain',
        size: body.length,
        sha256: '0'.repeat(64),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
        bucket: store.bucket,
        objectKey,
      });
      return { documentId, objectKey };
    },
    async objectExists(objectKey: string): Promise<boolean> {
      return s3.statObject(store.bucket, objectKey).then(
        () => true,
        () => false,
      );
    },
    /** An order's workflow input with these tasks, as the planner makes it (the uploads as the store has them). */
    async input(tasks: OrderTaskInput[], daysUntilDeletion = 30): Promise<SigningOrderInput> {
      const refs = [...new Set(tasks.flatMap((t) => t.documents.map((d) => d.documentRef)))];
      const metas = await Promise.all(refs.map((ref) => store.getMeta(MERCHANT, ref)));
      // A missing upload (a test of that case) is planned from its id alone; the creation then finds it gone.
      const uploads: ClaimedUpload[] = refs.map((documentId, i) => ({
        merchantId: MERCHANT,
        documentId,
        contentType: metas[i]?.contentType ?? 'text/plain',
        size: metas[i]?.size ?? 0,
        sha256: metas[i]?.sha256 ?? '',
        bucket: store.bucket,
        objectKey: metas[i]?.objectKey ?? storageKeys.uploadObject(MERCHANT, documentId),
      }));
      return {
        orderId: randomId(),
        merchantId: MERCHANT,
        clientReference: 'ref-1',
        createdAt: new Date(await env.currentTimeMs()).toISOString(),
        daysUntilDeletion,
        tasks,
        order: validOrder(tasks, daysUntilDeletion),
        uploads,
      };
    },
    /**
     * Creates the order as the gateway does (`beginOrder` of the creation saga): reserves the uploads and keeps the
     * order, then starts the workflow, whose first activity copies the uploads and records the read model. No
     * workflow when an upload is missing.
     */
    async create(input: SigningOrderInput): Promise<CreationResult> {
      const begun = await beginOrder(
        { temporal: env.client, reservations, signCodeSecret: config.signCodeSecret, taskQueue: WORKFLOW_QUEUE },
        input,
      );
      if ('missing' in begun) return { created: false, missingDocumentRefs: begun.missing };
      // Answered once the tasks without dependencies are open, as update-with-start used to (the signing portal
      // retries a signer's first action for a while instead).
      for (const t of input.tasks.filter((t) => t.dependsOnTasks.length === 0)) {
        const handle = env.client.workflow.getHandle(ids.task(input.orderId, t.taskId));
        for (
          let tries = 0;
          !(await handle.describe().then(
            () => true,
            () => false,
          ));
          tries++
        ) {
          if (tries > 200) throw new Error(`task ${t.taskId} of order ${input.orderId} never started`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      return { created: true };
    },
    /** A signer action, as the signing portal sends it. */
    act(orderId: string, taskId: string, action: SignerAction): Promise<SignerActionResult> {
      const handle = env.client.workflow.getHandle(ids.task(orderId, taskId));
      return handle.executeUpdate(ORDER_MESSAGES.SIGNER_ACTION, { args: [action] });
    },
    /** Signs a document the signer opened (SIGNED naming it `opened`, sealed with `seal`), as the portal sends it. */
    sign(orderId: string, taskId: string, documentId: string, seal?: SealRequest): Promise<SignerActionResult> {
      return this.act(orderId, taskId, { type: 'SIGNED', documentId, opened: [documentId], ...(seal ? { seal } : {}) });
    },
    state(orderId: string): Promise<OrderStateView> {
      return env.client.workflow.getHandle(ids.order(orderId)).query<OrderStateView>(ORDER_MESSAGES.STATE);
    },
    cancel(orderId: string): Promise<void> {
      return env.client.workflow.getHandle(ids.order(orderId)).executeUpdate(ORDER_MESSAGES.CANCEL_ORDER);
    },
    /** Writes the histories of these workflows to workflows/test/histories when RECORD_HISTORIES=1. */
    async recordHistories(name: string, workflowIds: string[]): Promise<void> {
      if (process.env.RECORD_HISTORIES !== '1') return;
      for (const [i, workflowId] of workflowIds.entries()) {
        const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
        // One field a line, so a re-recording diffs readably (then `prettier --write` gives the repo's layout).
        const json = JSON.stringify(JSON.parse(historyToJSON(history)), null, 2);
        // Recorded with encrypted payloads (beside the earlier ones, recorded in clear, which still replay).
        writeFileSync(new URL(`encrypted-${name}-${i}.json`, HISTORIES), `${json}\n`);
      }
      // The orders' data keys, without which their encrypted payloads would not replay.
      await recordPayloadKeys(redis, config.redis.keyPrefix, workflowIds);
    },
    async stop() {
      for (const w of workers) w.shutdown();
      await running;
      await env.teardown();
      mail?.close();
      await clients.close();
    },
  };
}

export type OrderEnv = Awaited<ReturnType<typeof startOrderEnv>>;

export const task = (taskId: string, documentRefs: string[], extra: Partial<OrderTaskInput> = {}): OrderTaskInput => ({
  taskId,
  dependsOnTasks: [],
  documents: documentRefs.map((documentRef, i) => ({ documentId: `doc-${i + 1}`, documentRef })),
  daysToLive: 30,
  ...extra,
});

/** The merchant's order behind these task inputs, validated (defaults applied) as the gateway stores it. */
function validOrder(tasks: OrderTaskInput[], daysUntilDeletion: number): SigningOrder {
  const result = validateSigningOrder({
    clientReference: 'ref-1',
    daysUntilDeletion,
    tasks: tasks.map((t) => ({
      id: t.taskId,
      daysToLive: t.daysToLive,
      documents: t.documents.map((d) => ({
        id: d.documentId,
        action: t.documentActions?.[d.documentId] ?? 'SIGN',
        source: 'SESSION',
        documentRef: d.documentRef,
      })),
      signatureMethods: [{ name: 'nbid-sign' }],
      ...(t.dependsOnTasks.length ? { dependsOnTasks: t.dependsOnTasks } : {}),
    })),
  });
  if (!result.ok) throw new Error(`test order invalid: ${JSON.stringify(result.violations)}`);
  return result.value;
}
