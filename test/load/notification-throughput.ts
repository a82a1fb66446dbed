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
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@esign/config';
import { SERVICES, startServices, type RunningService, type ServiceName } from '@esign/devstack';
import { createMailTransport } from '@esign/notification';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { startReceiver, type ReceivedCall } from '../support/receiver.js';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { alternate, median, rssMiB, table, timedBatch } from './measure.js';
import { postOrder } from './orders.js';

const ORDERS = Number(process.argv[2] ?? process.env.BENCH_ORDERS ?? 500);
const ROUNDS = Number(process.argv[3] ?? process.env.BENCH_ROUNDS ?? 3);
/** The notification worker sets no limit: @temporalio/worker's default maxConcurrentActivityTaskExecutions is 100. */
const CONCURRENCY = 100;
/** Order creation is setup, not measured: as many in flight as in the order benchmark. */
const CREATE_CONCURRENCY = 8;
const RECIPIENT = 'signer@example.com';
const TIMEOUT_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => ms / 1000;

/** Polls `done` every 100 ms until it holds; fails after TIMEOUT_MS, or at once when `aborted` names a reason. */
async function until(what: string, done: () => boolean | Promise<boolean>, aborted?: () => string | undefined) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await done())) {
    const reason = aborted?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface SunkMail {
  at: number;
  messageId: string;
  to: string[];
}

/** An in-process SMTP server that keeps when each message arrived, its Message-ID and its recipients. */
async function startSmtpSink() {
  const mails: SunkMail[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      maxOpen = Math.max(maxOpen, ++open);
      callback();
    },
    onClose() {
      open--;
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
        mails.push({
          at: Date.now(),
          messageId: /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback(null, 'OK');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    /** The most SMTP connections open at once since the last call. */
    takeMaxOpen: () => {
      const max = maxOpen;
      maxOpen = open;
      return max;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

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
const { stack, api, auth } = bench;
try {
  const workerEnv = { ...stack.env, SMTP_PORT: String(sink.port) };
  const config = loadConfig(workerEnv);
  temporal = await stackTemporalClient(workerEnv);
  const client = temporal;
  const mail = createMailTransport(config.smtp);

  /** The deliveries that arrived since `from` (indexes into the sinks), checked: `count` of each, all distinct. */
  const deliveries = (from: { mails: number; calls: number }, count: number, what: string) => {
    const mails = sink.mails.slice(from.mails);
    const calls = receiver.calls.slice(from.calls);
    const distinct = <T>(xs: T[]) => new Set(xs).size;
    const problems = [
      mails.length !== count && `${mails.length} e-mails`,
      distinct(mails.map((m) => m.messageId)) !== count && `${distinct(mails.map((m) => m.messageId))} Message-IDs`,
      mails.some((m) => m.to.join() !== RECIPIENT) && 'an e-mail to someone else',
      calls.length !== count && `${calls.length} URL calls`,
      distinct(calls.map((c) => c.headers['x-sign-delivery-id'])) !== count &&
        `${distinct(calls.map((c) => c.headers['x-sign-delivery-id']))} distinct X-Sign-Delivery-Ids`,
      calls.some((c) => c.headers['x-sign-delivery-id'] === undefined) && 'a call without X-Sign-Delivery-Id',
    ].filter(Boolean);
    if (problems.length) throw new Error(`${what}: expected ${count} of each, got ${problems.join(', ')}`);
    const times = [...mails.map((m) => m.at), ...calls.map((c) => c.at)];
    const first = Math.min(...times);
    return {
      calls,
      first,
      /** Deliveries per second from the first arrival to the last (no start-up cost in either case). */
      rate: (times.length - 1) / seconds(Math.max(...times) - first),
      mailsDone: Math.max(...mails.map((m) => m.at)) - first,
      callsDone: Math.max(...calls.map((c: ReceivedCall) => c.at)) - first,
    };
  };
  const mark = () => ({ mails: sink.mails.length, calls: receiver.calls.length });

  /** Activity tasks waiting in the notification task queue (the server's approximate backlog count). */
  const backlog = async () => {
    const res = await client.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: { name: TASK_QUEUES.NOTIFICATION },
      taskQueueType: 2, // TASK_QUEUE_TYPE_ACTIVITY
      reportStats: true,
    });
    return Number(res.stats?.approximateBacklogCount ?? 0);
  };
  const runningDeliveries = async () =>
    (await client.workflow.count(`WorkflowType = 'notificationDelivery' AND ExecutionStatus = 'Running'`)).count;

  const details = {
    createRate: [] as number[],
    settle: [] as number[],
    startup: [] as number[],
    mailsDone: [] as number[],
    callsDone: [] as number[],
    closed: [] as number[],
    smtpOpen: [] as number[],
    rss: [] as number[],
    rawSmtpOpen: [] as number[],
    /** CPU used per process while the worker sends (CPU seconds per wall second: 1 = one core). */
    cores: {} as Record<string, number[]>,
  };
  let round = 0;
  const runs = await alternate(ROUNDS, {
    pipeline: async () => {
      round++;
      const upload = await fetch(`${api}/documents`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: `Benchmark agreement, round ${round}`,
      });
      if (upload.status !== 201) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
      const { documentId } = (await upload.json()) as { documentId: string };
      const order = JSON.stringify({
        clientReference: `bench-${round}`,
        tasks: [
          {
            id: 'signer1',
            documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: documentId }],
            signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
            notifications: [
              {
                id: 'invite',
                type: 'EMAIL',
                recipient: RECIPIENT,
                header: 'Please sign for ${clientRef}',
                message: 'Order ${orderId}: sign at ${taskUrl} or with code ${signCode} at ${signCodeUrl}',
                schedule: [{ triggerStatus: 'CREATED' }],
              },
              {
                id: 'hook',
                type: 'URL',
                recipient: `${receiver.url}/hook`,
                message: 'Order ${orderId} is open for signing',
                schedule: [{ triggerStatus: 'CREATED' }],
              },
            ],
          },
        ],
      });
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
      const cpu = () => processes.map((pr) => cpuSeconds(pr.pid));
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
  const p = median(runs.pipeline);
  const r = median(runs.raw);
  const s = (xs: number[]) => seconds(median(xs));
  process.stdout.write(
    `\nNotification delivery: ${ORDERS} orders × (1 e-mail + 1 URL) = ${2 * ORDERS} deliveries per round, ` +
      `${ROUNDS} alternating round(s), medians\n\n${table([
        { case: 'notification worker draining the queued deliveries (delivered/s)', value: p },
        { case: `raw nodemailer sendMail + fetch GET, ${CONCURRENCY} concurrent (delivered/s)`, value: r },
        { case: 'ratio worker / raw', value: p / r },
      ])}\n\n${table([
        { measure: 'per round, worker (delivered/s)', value: runs.pipeline.map((x) => x.toFixed(1)).join(', ') },
        { measure: 'per round, raw (delivered/s)', value: runs.raw.map((x) => x.toFixed(1)).join(', ') },
        { measure: 'worker: last e-mail arrived, s after the first delivery', value: s(details.mailsDone) },
        { measure: 'worker: last URL call arrived, s after the first delivery', value: s(details.callsDone) },
        { measure: 'worker: every delivery workflow closed, s after the first delivery', value: s(details.closed) },
        { measure: 'worker: process spawn → first delivery (s)', value: s(details.startup) },
        {
          measure: 'most SMTP connections open at once, worker / raw',
          value: `${median(details.smtpOpen)} / ${median(details.rawSmtpOpen)}`,
        },
        { measure: 'notification worker RSS after the drain (MiB)', value: median(details.rss) },
        { measure: 'setup: orders created with notifications (orders/s)', value: median(details.createRate) },
        { measure: 'setup: last order created → every delivery queued (s)', value: s(details.settle) },
      ])}\n\nCPU while the worker sends (first → last delivery), cores (CPU-s per s), medians\n\n${table(
        Object.entries(details.cores)
          .map(([name, xs]) => ({ process: name, cores: median(xs) }))
          .sort((a, b) => b.cores - a.cores),
      )}\n`,
  );
} finally {
  await worker?.process.stop();
  await temporal?.connection.close();
  await bench.stop();
  await Promise.all([sink.stop(), receiver.stop()]);
}
