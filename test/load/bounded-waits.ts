// `npm run bench:bounded-waits [-- --frozen-seconds 45 --servers redis,seaweedfs,temporal]`: freezes each real server
// of a throwaway stack with SIGSTOP while a merchant uploads, creates orders and reads, resumes it with SIGCONT, and
// prints how long each answer took and what it was, and how long until full service after the resume.
// docs/reliability.md ("Bounded waits") keeps the figures of a run.
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requestToken } from '../support/token.js';
import {
  DEPENDENCY_OF,
  FROZEN_SERVERS,
  freezeAndProbe,
  startFreezeStack,
  type FreezeResult,
  type FrozenServer,
  type Operation,
} from './freeze.js';

const { values } = parseArgs({
  options: {
    'frozen-seconds': { type: 'string', default: '45' },
    servers: { type: 'string', default: FROZEN_SERVERS.join(',') },
    'client-timeout-seconds': { type: 'string', default: '60' },
  },
});
const servers = values.servers.split(',') as FrozenServer[];
const frozenMs = Number(values['frozen-seconds']) * 1000;

const { stack, dataDir } = await startFreezeStack('bench-bounded-waits');
const results: FreezeResult[] = [];
try {
  const { access_token } = await requestToken(stack.urls.api, 'demo-merchant', 'demo-secret');
  const merchant = {
    api: `${stack.urls.api}/enterprise/sign`,
    authorization: `Bearer ${access_token}`,
    clientTimeoutMs: Number(values['client-timeout-seconds']) * 1000,
  };
  for (const server of servers) {
    console.error(`freezing ${server} for ${frozenMs / 1000} s …`);
    results.push(await freezeAndProbe(stack, server, merchant, { frozenMs, rounds: 1 }));
  }
} finally {
  const gateway = stack.services.find((service) => service.name === 'gateway');
  if (gateway && process.env.SHOW_GATEWAY_LOG) console.error(readFileSync(gateway.process.logFile, 'utf8'));
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const OPS: Operation[] = ['upload', 'create order', 'read order', 'read document'];
const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

console.log(`\nBounded waits: each server frozen ${frozenMs / 1000} s (SIGSTOP), requests back to back meanwhile\n`);
console.log('| frozen | operation | answers | median ms | max ms | 503 naming it | other |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  for (const op of OPS) {
    const ps = r.probes.filter((p) => p.op === op);
    const ms = ps.map((p) => p.ms);
    const statuses = [...new Set(ps.map((p) => p.status))].sort().join('/');
    const named = ps.filter(
      (p) => p.status === 503 && p.retryAfter && p.detail?.includes(DEPENDENCY_OF[r.server]),
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
