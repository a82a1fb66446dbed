// Benchmark (not a test): signing orders created per second through the gateway (auth, validation, document
// check, workflow start + claim + read model, answered with the stored order) vs raw `client.workflow.start` of an
// empty workflow on the same Temporal server at the same concurrency, in one run. Then the Temporal history events
// of a one-signer order from creation to completion, and the orchestrator's RSS with 1,000 open orders.
// Run: node --import tsx test/load/order-throughput.ts [orders-for-rss]
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@esign/config';
import { SERVICES, type ServiceName } from '@esign/devstack';
import { connectTemporalClient } from '@esign/service-runtime';
import { ids, type SignerAction } from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { signerAction } from '../support/tasks.js';
import { startBenchStack } from './bench-stack.js';
import { alternate, median, rssMiB, table, timedBatch } from './measure.js';

Runtime.install({ logger: new DefaultLogger('WARN') });
const ROUNDS = 3;
const CONCURRENCY = 8;
const PER_ROUND = 60;
const OPEN_ORDERS = Number(process.argv[2] ?? 1000);

const rate = async (count: number, job: () => Promise<void>) => count / (await timedBatch(count, CONCURRENCY, job));

const bench = await startBenchStack('orders', Object.keys(SERVICES) as ServiceName[]);
const { stack } = bench;
const connection = await NativeConnection.connect({ address: stack.env.TEMPORAL_ADDRESS! });
const emptyWorker = await Worker.create({
  connection,
  taskQueue: 'bench-empty',
  workflowsPath: fileURLToPath(new URL('../../workflows/test/fixtures/empty.ts', import.meta.url)),
});
const workerRun = emptyWorker.run();
try {
  const temporal = await connectTemporalClient(loadConfig(stack.env));
  const { api, auth } = bench;
  const upload = await fetch(`${api}/documents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: 'Benchmark agreement',
  });
  const { documentId } = (await upload.json()) as { documentId: string };
  const order = JSON.stringify({
    clientReference: 'bench',
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: documentId }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      },
    ],
  });
  const createOrder = async (): Promise<string> => {
    const res = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: order,
    });
    if (res.status !== 201) throw new Error(`order creation answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const runs = await alternate(ROUNDS, {
    gateway: () => rate(PER_ROUND, async () => void (await createOrder())),
    raw: () =>
      rate(PER_ROUND, async () => {
        await temporal.workflow.start('emptyWorkflow', { taskQueue: 'bench-empty', workflowId: `empty-${newId()}` });
      }),
  });
  const g = median(runs.gateway);
  const r = median(runs.raw);

  // History of one order from creation to completion: the order and its task child, after the signer finished.
  const orderId = await createOrder();
  // Opening the task and signing its only document, which completes it.
  const actions: SignerAction[] = [{ type: 'STARTED' }, { type: 'SIGNED', documentId: 'doc1' }];
  for (const action of actions) await signerAction(temporal, orderId, 'signer1', action);
  await temporal.workflow.getHandle(ids.task(orderId, 'signer1')).result();
  await new Promise((res) => setTimeout(res, 2000));
  const count = async (id: string) => (await temporal.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
  const parentEvents = await count(ids.order(orderId));
  const childEvents = await count(ids.task(orderId, 'signer1'));

  const orchestrator = stack.services.find((s) => s.name === 'orchestrator')!.process.pid;
  const idleRss = rssMiB(orchestrator);
  let created = 0;
  await rate(OPEN_ORDERS, async () => {
    await createOrder();
    created++;
  });
  await new Promise((res) => setTimeout(res, 3000));
  const openRss = rssMiB(orchestrator);

  process.stdout.write(
    `\nOrder creation: ${ROUNDS} alternating rounds of ${PER_ROUND}, ${CONCURRENCY} concurrent, medians\n\n${table([
      { case: 'POST /orders through the gateway (orders/s)', value: g },
      { case: 'raw client.workflow.start of an empty workflow (starts/s)', value: r },
      { case: 'ratio gateway / raw', value: g / r },
    ])}\n\n${table([
      { measure: 'history events, order workflow (created → completed, waiting for deletion)', value: parentEvents },
      { measure: 'history events, task child workflow', value: childEvents },
      { measure: 'history events, total', value: parentEvents + childEvents },
      { measure: 'orchestrator RSS idle-ish (MiB)', value: idleRss },
      { measure: `orchestrator RSS with ${created} more open orders (MiB)`, value: openRss },
    ])}\n`,
  );
  await temporal.connection.close();
} finally {
  // The Temporal runtime may have shut it down already (it handles SIGINT/SIGTERM itself).
  if (emptyWorker.getState() === 'RUNNING') emptyWorker.shutdown();
  await workerRun;
  await connection.close();
  await bench.stop();
}
