// `npm run chaos`: the full crash/restart reliability run on its own throwaway stack (free ports, temp data dir,
// Redis with an append-only file): 200 orders with e-mail and URL notifications, signers driven through the
// portal's Update path, and meanwhile kill -9 of the orchestrator worker, the notification worker and the gateway
// and restarts of Temporal, Redis and SeaweedFS, round and round. Prints the result tables; exits non-zero on any
// loss, duplicate or orphan. Everything it starts is stopped by pid at the end.
// Run: npm run chaos [-- orders]   (or CHAOS_ORDERS; and CHAOS_CONCURRENCY, CHAOS_SPACING_SECONDS between order starts,
// CHAOS_FAULT_GAP_SECONDS between faults, CHAOS_DOWN_SECONDS a part stays down)
import { runChaos } from './engine.js';
import { formatReport } from './report.js';

const number = (value: string | undefined, fallback: number) => {
  const n = Number(value ?? fallback);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${value}`);
  return n;
};

const started = Date.now();
const say = (line: string) => process.stdout.write(`[chaos ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

try {
  const report = await runChaos({
    orders: number(process.argv[2] ?? process.env.CHAOS_ORDERS, 200),
    concurrency: number(process.env.CHAOS_CONCURRENCY, 6),
    startSpacingMs: number(process.env.CHAOS_SPACING_SECONDS, 0) * 1000,
    faultGapMs: number(process.env.CHAOS_FAULT_GAP_SECONDS, 8) * 1000,
    downMs: number(process.env.CHAOS_DOWN_SECONDS, 2) * 1000,
    settleTimeoutMs: 10 * 60_000,
    log: say,
  });
  process.stdout.write(`\n${formatReport(report)}\n`);
  process.exitCode = report.problems.length ? 1 : 0;
} catch (err) {
  process.stderr.write(`[chaos] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
