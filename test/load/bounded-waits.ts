// `npm run bench:bounded-waits [-- --frozen-seconds 45 --servers redis,seaweedfs,temporal]`: freezes each real server
// of a throwaway stack with SIGSTOP while a merchant uploads, creates orders and reads, resumes it with SIGCONT, and
// prints how long each answer took and what it was, and how long until full service after the resume.
// docs/reliability.md ("Bounded waits") keeps the figures of a run.
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '@esign/config';
import { connectTemporalClient, createRedis } from '@esign/service-runtime';
import { Mailbox } from '../chaos/mailbox.js';
import { startUrlReceiver } from '../chaos/receiver.js';
import { requestToken, tokenRequest } from '../support/token.js';
import { awaitNotifications, type FreezeNotifications } from './freeze-notifications.js';
import { awaitSigned, type SignedAfterFreeze } from './freeze-signing.js';
import {
  DEPENDENCY_OF,
  FREEZE_TARGETS,
  freezeAndProbe,
  startFreezeStack,
  type FreezeResult,
  type FreezeTarget,
  type MerchantClient,
  type Operation,
} from './freeze.js';

const { values } = parseArgs({
  options: {
    'frozen-seconds': { type: 'string', default: '45' },
    servers: { type: 'string', default: FREEZE_TARGETS.join(',') },
    'client-timeout-seconds': { type: 'string', default: '60' },
  },
});
const servers = values.servers.split(',') as FreezeTarget[];
const frozenMs = Number(values['frozen-seconds']) * 1000;

const { stack, dataDir } = await startFreezeStack('bench-bounded-waits');
const results: Array<FreezeResult & { notifications: FreezeNotifications; signed: SignedAfterFreeze }> = [];
const receiver = await startUrlReceiver({ refuseFirstShare: 0 });
const mailbox = new Mailbox(stack.urls.mailUi);
const config = loadConfig(stack.env);
const redis = createRedis(config, () => undefined);
const signer = await connectTemporalClient(config, redis);
try {
  const { access_token } = await requestToken(stack.urls.api, 'demo-merchant', 'demo-secret');
  const merchant: MerchantClient = {
    api: `${stack.urls.api}/enterprise/sign`,
    authorization: `Bearer ${access_token}`,
    clientTimeoutMs: Number(values['client-timeout-seconds']) * 1000,
    receiverUrl: receiver.url,
    requestToken: (signal) =>
      tokenRequest(`${stack.urls.api}/auth/open/connect/token`, 'demo-merchant', 'demo-secret', 'basic', signal),
  };
  for (const server of servers) {
    console.error(`freezing ${server} for ${frozenMs / 1000} s …`);
    const result = await freezeAndProbe(stack, server, merchant, {
      frozenMs,
      rounds: 1,
      signer: { client: signer, signs: 10 },
    });
    const orders = result.orders.length;
    console.error(
      `  resumed; full service after ${result.recoveryMs} ms; ${orders} orders, ${result.signTried.length} signed …`,
    );
    // Both watched from the resume on, so each "after the resume" figure is its own.
    const [notifications, signed] = await Promise.all([
      awaitNotifications(result, { receiver, mailbox }, { timeoutMs: 300_000, quietMs: 3000 }),
      awaitSigned(merchant, signer, result.signTried, result.resumedAt, 300_000),
    ]);
    console.error(
      `  notifications ${notifications.deliveredOnce} of ${notifications.expected} once; ${signed.complete} of ${signed.tried} sealed and archived`,
    );
    results.push({ ...result, notifications, signed });
  }
} finally {
  const gateway = stack.services.find((service) => service.name === 'gateway');
  if (gateway && process.env.SHOW_GATEWAY_LOG) console.error(readFileSync(gateway.process.logFile, 'utf8'));
  await signer.connection.close();
  redis.disconnect();
  await receiver.stop();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const OPS: Operation[] = ['token', 'upload', 'create order', 'read order', 'read document', 'sign'];
const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

console.log(`\nBounded waits: each server frozen ${frozenMs / 1000} s (SIGSTOP), requests back to back meanwhile\n`);
console.log('| frozen | operation | answers | median ms | max ms | 503 naming it | other |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  for (const op of OPS) {
    const ps = r.probes.filter((p) => p.op === op);
    const ms = ps.map((p) => p.ms);
    const statuses = [...new Set(ps.map((p) => p.status))].sort().join('/');
    const dependency = DEPENDENCY_OF[r.server];
    const named = ps.filter(
      (p) => p.status === 503 && p.retryAfter && dependency && p.detail?.includes(dependency),
    ).length;
    const other = ps.filter((p) => ![200, 201, 503].includes(p.status)).length;
    console.log(
      `| ${r.server} | ${op} | ${ps.length} (${statuses}) | ${pct(ms, 0.5)} | ${Math.max(...ms)} | ${named} | ${other} |`,
    );
  }
}
console.log('\n| frozen | full service after the resume (ms) | answered 2xx but missing after |');
console.log('| --- | --- | --- |');
for (const r of results) console.log(`| ${r.server} | ${r.recoveryMs} | ${r.lost.length} |`);

console.log(
  '\n| frozen | orders | notifications | delivered once | duplicates | missing | last one after the resume (ms) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const n = r.notifications;
  console.log(
    `| ${r.server} | ${r.orders.length} | ${n.expected} | ${n.deliveredOnce} | ${n.duplicates.length} | ${n.missing.length} | ${n.lastAfterResumeMs} |`,
  );
}

console.log(
  '\n| frozen | signed during the freeze (tried) | complete: sealed, readable, archived | not | last one complete after the resume (ms) |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const r of results) {
  const n = r.signed;
  console.log(`| ${r.server} | ${n.tried} | ${n.complete} | ${n.incomplete.length} | ${n.lastAfterResumeMs} |`);
}
for (const r of results) {
  for (const p of r.probes.filter((x) => ![200, 201, 503].includes(x.status))) {
    console.log(`${r.server}: ${p.op} answered ${p.status}: ${p.detail ?? ''}`);
  }
  for (const line of [...r.lost, ...r.notifications.missing, ...r.notifications.duplicates, ...r.signed.incomplete]) {
    console.log(`${r.server}: ${line}`);
  }
}
