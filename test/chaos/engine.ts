// The chaos run, reusable at any size: its own stack of the real servers and services (free ports, a temp data
// dir, Redis with an append-only file), orders driven through the gateway and the portal's Update path while the
// faults are applied one after another, then the checks of verify.ts. `npm run chaos` (test/chaos/run.ts) runs it
// at full size; test/integration/chaos.test.ts at a reduced one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS, loadConfig } from '@esign/config';
import { freeStackPorts, SERVICES, startStack, type ServerName, type ServiceName, type Stack } from '@esign/devstack';
import { connectTemporalClient, createRedis, createS3 } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import { applyFault, FAULT_KINDS, type FaultKind, type FaultRecord } from './faults.js';
import { MerchantApi, type RetryCounts } from './http.js';
import { Mailbox, normalise } from './mailbox.js';
import {
  driveOrder,
  expectedDeliveries,
  planOrder,
  type LoadContext,
  type OrderKind,
  type OrderRun,
} from './orders.js';
import { startUrlReceiver, type UrlReceiver } from './receiver.js';
import { verify, type RepeatedCall, type Verification } from './verify.js';
import { messageIdFor } from '@esign/notification';

export interface ChaosOptions {
  /** Orders to create (a quarter cancelled, a quarter rejected, half signed). */
  orders: number;
  /** Orders in flight at once. */
  concurrency: number;
  /** Order i starts no earlier than i × this after the load began (spreads a small load over the faults). */
  startSpacingMs?: number;
  /** The faults, applied in this order, round and round while the load runs (each at least once). */
  faults?: readonly FaultKind[];
  /** At most this many times through the list of faults (default: round and round while the load runs). */
  rounds?: number;
  /** Pause after one fault has recovered before the next one. */
  faultGapMs: number;
  /** How long a killed service or stopped server stays down before it is started again. */
  downMs: number;
  /** URL notification retry interval (seconds); e-mails back off up to it too. */
  retryIntervalSeconds?: number;
  /** How long deliveries are retried: must outlast the faults. */
  retryWindowSeconds?: number;
  /** Share of URL deliveries whose first call the receiver refuses with 503. */
  refuseFirstShare?: number;
  /** Longest wait, after the load, for the last deliveries. */
  settleTimeoutMs: number;
  /** Keep the stack's data dir (logs, databases) after the run; by default it is kept only when problems were found. */
  keepData?: boolean;
  log?: (line: string) => void;
}

export interface FaultSummary {
  kind: FaultKind;
  count: number;
  totalDownMs: number;
  maxDownMs: number;
  /** How the old processes ended, counted (e.g. "exited on SIGKILL"). */
  ended: Record<string, number>;
  /** Client steps retried during these faults, by step and why. */
  hits: Record<string, number>;
  /** Deliveries recorded as ERROR while (or just after) one of these faults was on. */
  recordedErrors: number;
  /** URL callbacks called again because one of these faults hit between the receiver's 200 and its record. */
  repeatedUrlCalls: number;
}

/** A retry, or an ERROR-recorded delivery, and the fault it fell into (the last one begun before it). */
export interface Attributed {
  at: number;
  what: string;
  fault?: FaultKind;
}

export interface ChaosReport {
  runId: string;
  options: ChaosOptions;
  orders: Record<OrderKind, number> & { total: number; driven: number };
  faults: FaultRecord[];
  faultSummary: FaultSummary[];
  /** Faults that began while orders were still being driven (the rest hit deliveries and deletions in flight). */
  faultsDuringLoad: number;
  /** Client retries that fell into no fault's window (they would point at trouble of the system's own). */
  retriesOutsideFaults: Attributed[];
  /** ERROR-recorded deliveries with the fault each fell into. */
  recordedErrors: Attributed[];
  /** Parts that died without a fault being applied to them, restarted as a supervisor would. */
  unplannedExits: string[];
  clientRetries: RetryCounts & {
    signerActions: number;
    /** Signer Updates the workflow failed (not refused) during a fault, with why; the signer repeated them. */
    signerActionsFailed: string[];
    uploadsRepeated: number;
    creationsAnsweredTwice: number;
  };
  verification: Verification;
  durations: { stackStartMs: number; loadMs: number; settleMs: number; verifyMs: number; totalMs: number };
  dataDir: string;
  /** Problems of the verification, and faults that could not be recovered from. Empty: the run passed. */
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a stack on free ports, trying fresh ports again when a port was taken in between (as the global setup does). */
async function startChaosStack(opts: ChaosOptions, log: (line: string) => void) {
  for (let attempt = 1; ; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-chaos-'));
    try {
      const stack = await startStack({
        dataDir,
        ports: await freeStackPorts(),
        s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
        persistentRedis: true,
        // Signed orders are sealed with the key in a SoftHSM2 token, as the integration tests do.
        sealKey: 'softhsm',
        services: Object.keys(SERVICES) as ServiceName[],
        extraEnv: {
          NOTIFICATION_URL_RETRY_INTERVAL_SECONDS: String(opts.retryIntervalSeconds ?? 2),
          NOTIFICATION_URL_RETRY_WINDOW_SECONDS: String(opts.retryWindowSeconds ?? 600),
        },
      });
      return { stack, dataDir };
    } catch (err) {
      log(`stack, attempt ${attempt}: ${err instanceof Error ? err.message : String(err)}`);
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * Restarts whatever died on its own (a fault's target is restarted by the fault itself), as a process supervisor
 * would, and records it: a service or server that does not survive another part's restart is a finding.
 */
async function supervise(stack: Stack, unplanned: string[], log: (line: string) => void): Promise<void> {
  for (const s of [...stack.services]) {
    if (!s.process.exited()) continue;
    unplanned.push(`service ${s.name} ${s.process.exited()}`);
    log(`unplanned: service ${s.name} ${s.process.exited()}; restarting it`);
    await stack.startService(s.name);
  }
  const servers: ServerName[] = ['temporal', 'seaweedfs', 'redis', 'maildev'];
  for (const name of servers) {
    const p = stack.processes.find((x) => x.name === name);
    if (!p?.exited()) continue;
    unplanned.push(`server ${name} ${p.exited()}`);
    log(`unplanned: ${name} ${p.exited()}; restarting it`);
    await stack.restartServer(name);
  }
}

/** How long after a part is back its effects still count as that fault's (reconnects, retries backing off). */
const AFTERMATH_MS = 5000;

/**
 * The fault `at` (ms since the run began) fell into: the last one begun before it (or at most `leadMs` after it: an
 * attempt already under way when the fault hit), if not long over.
 */
export function faultAt(faults: FaultRecord[], at: number, leadMs = 0): FaultRecord | undefined {
  const last = faults.filter((f) => f.at - leadMs <= at).at(-1);
  return last && at <= last.at + last.downMs + AFTERMATH_MS ? last : undefined;
}

/** How long before a fault an attempt may have begun and still be cut off by it (one send or call, under load). */
const IN_FLIGHT_MS = 3000;

/** The faults that can cut in between a URL receiver's 200 and the notification worker's record of it. */
const REPEATS_URL_CALLS = new Set<FaultKind>(['kill-notification', 'restart-redis']);

function summarise(faults: FaultRecord[], errors: Attributed[], repeats: RepeatedCall[]): FaultSummary[] {
  const kinds = [...new Set(faults.map((f) => f.kind))];
  return kinds.map((kind) => {
    const of = faults.filter((f) => f.kind === kind);
    const ended: Record<string, number> = {};
    for (const f of of) ended[f.oldEnded || 'unknown'] = (ended[f.oldEnded || 'unknown'] ?? 0) + 1;
    const hits: Record<string, number> = {};
    for (const f of of) for (const [what, n] of Object.entries(f.hits)) hits[what] = (hits[what] ?? 0) + n;
    return {
      kind,
      count: of.length,
      totalDownMs: of.reduce((sum, f) => sum + f.downMs, 0),
      maxDownMs: Math.max(...of.map((f) => f.downMs)),
      ended,
      hits,
      recordedErrors: errors.filter((e) => e.fault === kind).length,
      repeatedUrlCalls: repeats.filter((x) => x.fault === kind).length,
    };
  });
}

/** Waits until every expected delivery arrived and no delivery workflow runs any more, or the timeout. */
async function settle(
  runs: OrderRun[],
  temporal: Client,
  receiver: UrlReceiver,
  mailbox: Mailbox,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let idleSince: number | undefined;
  for (;;) {
    const expected = runs.flatMap((r) => expectedDeliveries(r));
    const mails = await mailbox.countByMessageId().catch(() => new Map<string, number>());
    const missing = expected.filter((d) =>
      d.channel === 'URL' ? !receiver.byDelivery.get(d.id)?.delivered : !mails.has(normalise(messageIdFor(d.id))),
    ).length;
    const running = await temporal.workflow
      .count(`WorkflowType = 'notificationDelivery' AND ExecutionStatus = 'Running'`)
      .then((c) => c.count)
      .catch(() => -1);
    if (missing === 0 && running === 0) return;
    // Nothing is under way any more, yet deliveries are missing: they will not come (the checks say which).
    idleSince = running === 0 ? (idleSince ?? Date.now()) : undefined;
    if (idleSince !== undefined && Date.now() - idleSince > 15_000) return;
    if (Date.now() > deadline) {
      log(`settle: timed out with ${missing} deliveries missing and ${running} delivery workflows running`);
      return;
    }
    log(`settle: ${missing} of ${expected.length} deliveries outstanding, ${running} delivery workflows running`);
    await sleep(2000);
  }
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? (() => undefined);
  const began = Date.now();
  const runId = began.toString(36);
  const kinds = opts.faults ?? FAULT_KINDS;
  const { stack, dataDir } = await startChaosStack(opts, log);
  const stackStartMs = Date.now() - began;
  log(`stack ready in ${(stackStartMs / 1000).toFixed(1)} s (data in ${dataDir})`);
  const receiver = await startUrlReceiver({ refuseFirstShare: opts.refuseFirstShare ?? 0.3 });
  const config = loadConfig(stack.env);
  let temporal: Client | undefined;
  const redis = createRedis(config, () => undefined);
  let report: ChaosReport | undefined;
  try {
    temporal = await connectTemporalClient(config, redis);
    const retries: Attributed[] = [];
    const hit = (what: string, why: string) => retries.push({ at: Date.now() - began, what: `${what} (${why})` });
    const api = new MerchantApi(stack.urls.api, { clientId: 'demo-merchant', secret: 'demo-secret' }, hit);
    const mailbox = new Mailbox(stack.urls.mailUi);
    const ctx: LoadContext = { api, temporal, receiver, runId, patienceMs: 240_000, hit };

    const runs: OrderRun[] = [];
    for (let i = 0; i < opts.orders; i++) runs.push(await planOrder(runId, i));

    // The load: `concurrency` drivers take the next order, each starting no earlier than its slot.
    const loadBegan = Date.now();
    let next = 0;
    let finished = 0;
    const driver = async () => {
      while (next < runs.length) {
        const run = runs[next++]!;
        const slot = loadBegan + run.index * (opts.startSpacingMs ?? 0);
        if (slot > Date.now()) await sleep(slot - Date.now());
        await driveOrder(ctx, run);
        finished++;
        if (finished % 10 === 0 || finished === runs.length)
          log(`load: ${finished}/${runs.length} orders at their end`);
      }
    };
    let loadDone = false;
    const load = Promise.all(Array.from({ length: opts.concurrency }, driver)).then(() => {
      loadDone = true;
    });

    // The faults: one after another while the load runs, until each kind was applied at least once.
    const faults: FaultRecord[] = [];
    const unplannedExits: string[] = [];
    const chaos = (async () => {
      const maxFaults = (opts.rounds ?? Infinity) * kinds.length;
      for (let i = 0; i < maxFaults && (!loadDone || kinds.some((k) => !faults.some((f) => f.kind === k))); i++) {
        await sleep(opts.faultGapMs);
        await supervise(stack, unplannedExits, log);
        const record = await applyFault(stack, kinds[i % kinds.length]!, opts.downMs, began);
        faults.push(record);
        log(
          `fault ${faults.length}: ${record.kind} at ${(record.at / 1000).toFixed(1)} s, down ${record.downMs} ms` +
            `${record.oldEnded ? ` (old process ${record.oldEnded})` : ''}${record.error ? `; FAILED: ${record.error}` : ''}`,
        );
        if (record.error) await supervise(stack, unplannedExits, log);
      }
    })();
    let loadEnded = 0;
    await Promise.all([load.then(() => (loadEnded = Date.now() - began)), chaos]);
    // The load's own duration; the faults may go on after it until each kind was applied.
    const loadMs = began + loadEnded - loadBegan;
    await supervise(stack, unplannedExits, log);

    const settleBegan = Date.now();
    await settle(runs, temporal, receiver, mailbox, opts.settleTimeoutMs, log);
    // A little longer, so a late duplicate (a retry after a delivery that did go out) would still show.
    await sleep(Math.max(3000, 2 * 1000 * (opts.retryIntervalSeconds ?? 2)));
    const settleMs = Date.now() - settleBegan;

    const verifyBegan = Date.now();
    const verification = await verify({
      api,
      temporal,
      receiver,
      mailbox,
      redis,
      s3: createS3(config),
      config,
      runs,
      // A URL call answered 200 is repeated when its worker died before recording it, or could not record it because
      // Redis was down: the at-least-once of URL callbacks (receivers deduplicate by X-Sign-Delivery-Id).
      explainRepeat: (deliveredAt) => {
        const fault = faultAt(faults, deliveredAt - began, IN_FLIGHT_MS);
        return fault && REPEATS_URL_CALLS.has(fault.kind) ? fault.kind : undefined;
      },
    });
    const verifyMs = Date.now() - verifyBegan;
    for (const r of retries) {
      const fault = faultAt(faults, r.at);
      r.fault = fault?.kind;
      if (fault) fault.hits[r.what] = (fault.hits[r.what] ?? 0) + 1;
    }
    // An uncertain delivery is attributed to when its attempt claimed it (the ERROR comes a minute later, when
    // Temporal times the dead attempt out and the retry finds the claim).
    const recordedErrors = verification.notifications.recordedErrors.map((e): Attributed => {
      const at = Date.parse(e.claimedAt ?? e.eventTime) - began;
      const what = `${e.outcome}: ${e.delivery}: ${e.data} (ledger: ${e.ledger})`;
      return { at, what, fault: faultAt(faults, at, IN_FLIGHT_MS)?.kind };
    });
    const problems = [
      ...faults.filter((f) => f.error).map((f) => `fault ${f.kind} could not be recovered from: ${f.error}`),
      ...kinds.filter((k) => !faults.some((f) => f.kind === k)).map((k) => `fault ${k} was never applied`),
      ...unplannedExits.map((e) => `unplanned exit: ${e}`),
      // At most once costs a delivery only when a fault cuts an attempt off; an ERROR without one is unexplained.
      ...recordedErrors.filter((e) => !e.fault).map((e) => `recorded as ERROR with no fault to explain it: ${e.what}`),
      ...verification.problems,
    ];
    const count = (kind: OrderKind) => runs.filter((r) => r.kind === kind).length;
    report = {
      runId,
      options: { ...opts, log: undefined },
      orders: {
        total: runs.length,
        driven: runs.filter((r) => r.done).length,
        sign: count('sign'),
        reject: count('reject'),
        cancel: count('cancel'),
      },
      faults,
      faultSummary: summarise(faults, recordedErrors, verification.notifications.repeatedAfterFault),
      retriesOutsideFaults: retries.filter((r) => !r.fault),
      recordedErrors,
      faultsDuringLoad: faults.filter((f) => f.at < loadEnded).length,
      unplannedExits,
      clientRetries: {
        ...api.retries,
        signerActions: runs.reduce((sum, r) => sum + r.actionRetries, 0),
        signerActionsFailed: runs.flatMap((r) => r.actionsFailed.map((f) => `order #${r.index}: ${f}`)),
        uploadsRepeated: runs.reduce((sum, r) => sum + Math.max(0, r.uploads.length - 1), 0),
        creationsAnsweredTwice: runs.filter((r) => r.createdIds.length > 1).length,
      },
      verification,
      durations: { stackStartMs, loadMs, settleMs, verifyMs, totalMs: 0 },
      dataDir,
      problems,
    };
    return report;
  } finally {
    redis.disconnect();
    await temporal?.connection.close().catch(() => undefined);
    await receiver.stop();
    await stack.stop();
    const keep = opts.keepData ?? (report === undefined || report.problems.length > 0);
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    if (report) report.durations.totalMs = Date.now() - began;
    log(keep ? `stack stopped; data kept in ${dataDir}` : 'stack stopped; data removed');
  }
}
