// Benchmark (not a test): notifications delivered per second (e-mail and URL) by the notification worker vs raw
// provider calls — nodemailer `sendMail` to the same SMTP sink and `fetch` GETs to the same receiver, at the worker's
// activity concurrency — side by side in one run.
//
// A round: with the notification worker stopped, ORDERS orders are created through the gateway, each one task with
// two notifications on CREATED (an e-mail and a URL callback), so 2 × ORDERS `notificationDelivery` workflows wait
// with their send activity in the task queue. Then the worker is started (its SMTP pointed at an in-process sink) and
// the drain is timed by the arrival of the deliveries at the sinks; the raw case sends the same number of e-mails and
// GETs, timed the same way. Every delivery is checked: exactly one e-mail and one call per notification, no
// duplicates. Starts its own stack (without the notification service) in a temp dir and stops it.
// Run: node --import tsx test/load/notification-throughput.ts [orders] [rounds]   (or BENCH_ORDERS, BENCH_ROUNDS)
import { loadConfig } from '@esign/config';
import { SERVICES, startServices, type RunningService, type ServiceName } from '@esign/devstack';
import { createMailTransport } from '@esign/notification';
import type { Client } from '@temporalio/client';
import { startReceiver } from '../support/receiver.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { alternate, cpuMs, rssMiB, timedBatch } from './measure.js';
import { arrivals } from './notifications/arrivals.js';
import { orderWithNotifications, uploadAgreement } from './notifications/order.js';
import { deliveryQueue, until } from './notifications/queue.js';
import { newDetails, report } from './notifications/report.js';
import { postOrder } from './orders.js';

const ORDERS = Number(process.argv[2] ?? process.env.BENCH_ORDERS ?? 500);
const ROUNDS = Number(process.argv[3] ?? process.env.BENCH_ROUNDS ?? 3);
/** The notification worker sets no limit: @temporalio/worker's default maxConcurrentActivityTaskExecutions is 100. */
const CONCURRENCY = 100;
/** Order creation is setup, not measured: as many in flight as in the order benchmark. */
const CREATE_CONCURRENCY = 8;
const RECIPIENT = 'signer@example.com';

const seconds = (ms: number) => ms / 1000;

const sink = await startSmtpSink();
const receiver = await startReceiver([200]);
let worker: RunningService | undefined;
let temporal: Client | undefined;
const bench = await startBenchStack(
  'notifications',
  (Object.keys(SERVICES) as ServiceName[]).filter((s) => s !== 'notification'),
).catch(async (err: unknown) => {
  await Promise.all([sink.stop(), receiver.stop()]);
  throw err;
});
const { stack, api } = bench;
try {
  const workerEnv = { ...stack.env, SMTP_PORT: String(sink.port) };
  const config = loadConfig(workerEnv);
  temporal = await stackTemporalClient(workerEnv);
  const client = temporal;
  const mail = createMailTransport(config.smtp);

  const { deliveries, mark } = arrivals(sink, receiver, RECIPIENT);
  const { backlog, runningDeliveries } = deliveryQueue(client, config.temporal.namespace);
  const details = newDetails();
  let round = 0;
  const runs = await alternate(ROUNDS, {
    pipeline: async () => {
      round++;
      const documentId = await uploadAgreement(bench, round);
      const order = orderWithNotifications(round, documentId, RECIPIENT, receiver.url);
      const createSeconds = await timedBatch(
        ORDERS,
        CREATE_CONCURRENCY,
        async () => void (await postOrder(bench, order)),
      );
      details.createRate.push(ORDERS / createSeconds);
      // Every delivery has read its context and waits for a worker; nothing is left for the orchestrator to do.
      const created = Date.now();
      await until('deliveries queued', async () => (await backlog()) >= 2 * ORDERS);
      details.settle.push(Date.now() - created);

      const from = mark();
      const spawned = Date.now();
      sink.takeMaxOpen();
      [worker] = await startServices({ names: ['notification'], env: workerEnv, logDir: stack.logDir });
      const proc = worker!.process;
      // Where the CPU goes while the deliveries are sent: every process of the stack, the worker, and this one (the
      // sinks). From the first delivery seen (polled, so within 100 ms) to the last.
      const processes = [
        ...stack.processes.map((sp) => ({ name: sp.name, pid: sp.pid })),
        { name: 'notification', pid: proc.pid },
        { name: 'benchmark (SMTP sink, URL receiver)', pid: process.pid },
      ];
      const cpu = () => processes.map((pr) => cpuMs(pr.pid) / 1000);
      await until(
        'first delivery',
        () => sink.mails.length > from.mails || receiver.calls.length > from.calls,
        () => proc.exited(),
      );
      const cpuAtFirst = cpu();
      const firstSeen = Date.now();
      await until(
        'deliveries',
        () => sink.mails.length - from.mails >= ORDERS && receiver.calls.length - from.calls >= ORDERS,
        () => proc.exited(),
      );
      const window = seconds(Date.now() - firstSeen);
      cpu().forEach((c, i) => (details.cores[processes[i]!.name] ??= []).push((c - cpuAtFirst[i]!) / window));
      const rss = rssMiB(proc.pid);
      // The outcomes recorded (an activity of document-storage each) and nothing more arriving late.
      await until(
        'delivery workflows closed',
        async () => (await runningDeliveries()) === 0,
        () => proc.exited(),
      );
      const closedAt = Date.now();
      const unfinished = await client.workflow.count(
        `WorkflowType = 'notificationDelivery' AND ExecutionStatus != 'Completed'`,
      );
      if (unfinished.count) throw new Error(`${unfinished.count} delivery workflows did not complete`);
      await proc.stop();
      worker = undefined;
      const d = deliveries(from, ORDERS, `round ${round}, pipeline`);
      const orders = new Set(d.calls.map((c) => c.url.searchParams.get('requestId')));
      if (orders.size !== ORDERS) throw new Error(`round ${round}: URL calls for ${orders.size} orders, not ${ORDERS}`);
      details.startup.push(d.first - spawned);
      details.mailsDone.push(d.mailsDone);
      details.callsDone.push(d.callsDone);
      details.closed.push(closedAt - d.first);
      details.smtpOpen.push(sink.takeMaxOpen());
      details.rss.push(rss);
      process.stderr.write(
        `round ${round}: ${ORDERS} orders created in ${createSeconds.toFixed(0)} s, deliveries queued ` +
          `${seconds(details.settle.at(-1)!).toFixed(0)} s later; worker ${d.rate.toFixed(1)} delivered/s\n`,
      );
      return d.rate;
    },
    raw: async () => {
      const from = mark();
      sink.takeMaxOpen();
      let n = 0;
      await timedBatch(2 * ORDERS, CONCURRENCY, async () => {
        const id = `raw-${round}-${n++}`;
        if (n % 2) {
          await mail.sendMail({
            from: config.smtp.from,
            to: RECIPIENT,
            subject: `Please sign for bench-${round}`,
            text: `Order ${id}: sign at ${api}/std/docaction?request_id=${id}&task_id=signer1`,
            html: `<p>Order ${id}: sign at ${api}/std/docaction?request_id=${id}&amp;task_id=signer1</p>`,
            messageId: `<${id}@bench>`,
          });
        } else {
          const res = await fetch(`${receiver.url}/hook?requestId=${id}&taskId=signer1&message=open`, {
            headers: { 'x-sign-delivery-id': id },
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`receiver answered ${res.status}`);
        }
      });
      details.rawSmtpOpen.push(sink.takeMaxOpen());
      return deliveries(from, ORDERS, `round ${round}, raw`).rate;
    },
  });
  mail.close();
  process.stdout.write(report({ orders: ORDERS, rounds: ROUNDS, concurrency: CONCURRENCY, runs, details }));
} finally {
  await worker?.process.stop();
  await temporal?.connection.close();
  await bench.stop();
  await Promise.all([sink.stop(), receiver.stop()]);
}
