// Benchmark (not a test): signing orders created per second through the gateway (auth, validation, document
// check, workflow start + claim + read model, answered with the stored order) vs raw `client.workflow.start` of an
// empty workflow on the same Temporal server at the same concurrency, in one run. Then the Temporal history events
// of a one-signer order from creation to completion, and the orchestrator's RSS with 1,000 open orders.
// The cases live in cases/order-creation.ts, cases/order-history.ts and cases/memory.ts (`npm run bench` runs them
// all in one stack).
// Run: node --import tsx test/load/order-throughput.ts [orders-for-rss]
import { SERVICES, type ServiceName } from '@esign/devstack';
import type { Client } from '@temporalio/client';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { orderCreation, ORDER_CREATION_DEFAULTS } from './cases/order-creation.js';
import { orderHistories } from './cases/order-history.js';
import { rssWithOpenOrders } from './cases/memory.js';
import { startFixtureWorker, type FixtureWorker } from './fixture-worker.js';
import { median, restGate, rssMiB, table } from './measure.js';
import { benchOrders } from './orders.js';

const OPEN_ORDERS = Number(process.argv[2] ?? 1000);
const { rounds, perRound, concurrency } = ORDER_CREATION_DEFAULTS;

const bench = await startBenchStack('orders', Object.keys(SERVICES) as ServiceName[]);
const { stack } = bench;
let fixtures: FixtureWorker | undefined;
let temporal: Client | undefined;
try {
  fixtures = await startFixtureWorker(stack.env);
  temporal = await stackTemporalClient(stack.env);
  const orders = await benchOrders(bench, temporal);
  // Each round begins with the stack at rest (an order's workflow tasks run on after its request was answered).
  const { settle } = await restGate([...stack.processes.map((p) => p.pid), process.pid]);
  const runs = await orderCreation({ orders, temporal, fixtures }, { ...ORDER_CREATION_DEFAULTS, settle });
  const g = median(runs.gateway);
  const r = median(runs.raw);

  const histories = await orderHistories({ orders, temporal });
  const m = (k: 'orderEvents' | 'taskEvents' | 'total' | 'activities') => median(histories.map((h) => h[k]));

  const orchestrator = stack.services.find((s) => s.name === 'orchestrator')!.process.pid;
  const idleRss = rssMiB(orchestrator);
  const open = await rssWithOpenOrders({ stack, orders, temporal }, OPEN_ORDERS, { concurrency, settleMs: 3000 });
  const openRss = rssMiB(orchestrator);

  process.stdout.write(
    `\nOrder creation: ${rounds} alternating rounds of ${perRound}, ${concurrency} concurrent, medians\n\n${table([
      { case: 'POST /orders through the gateway (orders/s)', value: g },
      { case: 'raw client.workflow.start of an empty workflow (starts/s)', value: r },
      { case: 'ratio gateway / raw', value: g / r },
    ])}\n\n${table([
      {
        measure: 'history events, order workflow (created → completed, waiting for deletion)',
        value: m('orderEvents'),
      },
      { measure: 'history events, task child workflow', value: m('taskEvents') },
      { measure: 'history events, total', value: m('total') },
      { measure: 'activities scheduled (order + task child)', value: m('activities') },
      { measure: 'orchestrator RSS idle-ish (MiB)', value: idleRss },
      { measure: `orchestrator RSS with ${open.created} more open orders (${open.open} open) (MiB)`, value: openRss },
    ])}\n`,
  );
} finally {
  await temporal?.connection.close();
  await fixtures?.stop();
  await bench.stop();
}
