// The chaos run, reusable at any size: its own stack of the real servers and services (free ports, a temp data
// dir, Redis with an append-only file), orders driven through the gateway and the portal's Update path while the
// faults are applied one after another, then the checks of verify.ts. `npm run chaos` (test/chaos/run.ts) runs it
// at full size; test/integration/chaos.test.ts at a reduced one.
import { rmSync } from 'node:fs';
import { loadConfig } from '@esign/config';
import { connectTemporalClient, createRedis, createS3 } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import { faultAt, IN_FLIGHT_MS, REPEATS_URL_CALLS, summarise, type Attributed } from './attribution.js';
import { startChaosStack, supervise } from './chaos-stack.js';
import { applyFault, FAULT_KINDS, type FaultRecord } from './faults.js';
import { MerchantApi } from './http.js';
import { Mailbox } from './mailbox.js';
import { planOrder, type LoadContext, type OrderKind, type OrderRun } from './order-run.js';
import { driveOrder } from './orders.js';
import { startUrlReceiver } from './receiver.js';
import { settle } from './settle.js';
import type { ChaosOptions, ChaosReport } from './types.js';
import { verify } from './verify.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
