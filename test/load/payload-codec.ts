// `npm run bench:codec`: what the payload codec (AES-256-GCM, orders' data keys in Redis) costs the engine, measured
// side by side in one run on one Temporal dev server: the same workflows, started and run by the same code, once with
// Temporal's default data converter (payloads in clear) and once with the platform's (payloads encrypted, each order
// workflow with a data key of its own made in Redis on its first payload, as the gateway makes them).
//
//   creation: workflow.start of an empty workflow with an order-sized input (orders/s)
//   end to end: workflow.execute of the same input and 3 no-op activities on a queue of their own (orders/s)
//
// Run: npm run bench:codec [-- --rounds N] [--per-round N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '@esign/config';
import { freePort, startRedis, startTemporal } from '@esign/devstack';
import { createRedis, payloadEncryption, temporalDataConverter } from '@esign/service-runtime';
import { newId, newOrderId } from '@esign/temporal-contracts/random';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { fixtureActivities } from './fixtures/activities.js';
import { alternate, median, table, timedBatch } from './measure.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, 'per-round': { type: 'string', default: '100' } },
});
const rounds = Number(args.rounds);
const perRound = Number(args['per-round']);
const CONCURRENCY = 8;

/** An order-sized workflow input (~3 KB of JSON, as a one-signer order with two notifications). */
function orderSizedInput() {
  const notification = (i: number) => ({
    id: `n${i}`,
    type: 'EMAIL',
    recipient: `signer-${i}@example.test`,
    sender: 'Acme Signing <noreply@acme.example>',
    header: 'Please sign the agreement',
    message: 'Dear signer, please sign the agreement at ${taskUrl} or with code ${signCode} at ${signCodeUrl}.',
  });
  const task = {
    id: 'signer1',
    documents: [{ id: 'doc1', documentRef: newId() }],
    notifications: [1, 2].map(notification),
  };
  return {
    orderId: newOrderId(),
    merchantId: 'demo-merchant',
    tasks: [task],
    order: { tasks: [task] },
    pad: 'x'.repeat(1500),
  };
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const dataDir = mkdtempSync(join(tmpdir(), 'esign-bench-codec-'));
// Only what the codec touches: a Temporal dev server and Redis (orders' data keys).
const temporal = await startTemporal({ dataDir: join(dataDir, 'temporal'), logDir: dataDir, port: await freePort() });
const redisServer = await startRedis({
  dataDir: join(dataDir, 'redis'),
  logDir: dataDir,
  port: await freePort(),
  persistent: false,
});
const env = { TEMPORAL_ADDRESS: temporal.address, REDIS_URL: redisServer.url };
const config = loadConfig(env);
const redis = createRedis(config, () => undefined);
const sides: Record<'plain' | 'encrypted', DataConverter | undefined> = {
  plain: undefined,
  encrypted: temporalDataConverter(payloadEncryption(config, redis)),
};
const workflowsPath = fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url));
const native = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
const workers: Worker[] = [];
const clients = {} as Record<keyof typeof sides, Client>;
for (const [side, dataConverter] of Object.entries(sides) as Array<[keyof typeof sides, DataConverter | undefined]>) {
  const opts = dataConverter ? { dataConverter } : {};
  workers.push(
    await Worker.create({ connection: native, taskQueue: `codec-${side}`, workflowsPath, ...opts }),
    await Worker.create({
      connection: native,
      taskQueue: `codec-${side}-activities`,
      activities: fixtureActivities,
      ...opts,
    }),
  );
  clients[side] = new Client({ connection, ...opts });
}
const running = Promise.all(workers.map((w) => w.run()));

try {
  // Order ids as the gateway's: on the encrypted side each is a new order, whose data key is made in Redis.
  const start = (side: keyof typeof sides) => async () => {
    await clients[side].workflow.start('emptyWorkflow', {
      taskQueue: `codec-${side}`,
      workflowId: `order-${newOrderId()}`,
      args: [orderSizedInput()],
    });
  };
  const run = (side: keyof typeof sides) => async () => {
    await clients[side].workflow.execute('noopActivitiesWorkflow', {
      taskQueue: `codec-${side}`,
      workflowId: `order-${newOrderId()}`,
      args: [3, `codec-${side}-activities`, orderSizedInput()],
    });
  };
  const rate = async (job: () => Promise<void>) => perRound / (await timedBatch(perRound, CONCURRENCY, job));
  for (const job of [start('plain'), start('encrypted'), run('plain'), run('encrypted')]) {
    await timedBatch(CONCURRENCY, CONCURRENCY, job); // warm-up, not counted
  }
  const r = await alternate(rounds, {
    createPlain: () => rate(start('plain')),
    createEncrypted: () => rate(start('encrypted')),
    e2ePlain: () => rate(run('plain')),
    e2eEncrypted: () => rate(run('encrypted')),
  });
  const row = (name: string, plain: number[], encrypted: number[]) => ({
    case: name,
    'plain (/s)': median(plain).toFixed(1),
    'encrypted (/s)': median(encrypted).toFixed(1),
    'ratio encrypted/plain': (median(encrypted) / median(plain)).toFixed(2),
  });
  console.log(
    `${rounds} alternating rounds of ${perRound}, ${CONCURRENCY} concurrent, medians; load average ` +
      `${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}`,
  );
  console.log(
    table([
      row('creation: workflow.start, order-sized input', r.createPlain, r.createEncrypted),
      row('end to end: start, 3 no-op activities, result', r.e2ePlain, r.e2eEncrypted),
    ]),
  );
} finally {
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  await running;
  await native.close();
  await connection.close();
  redis.disconnect();
  await redisServer.process.stop();
  await temporal.process.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
