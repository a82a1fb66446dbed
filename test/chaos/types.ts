// The chaos run's options, and the shape of its report (formatted by report.ts).
import type { Attributed, FaultSummary } from './attribution.js';
import type { FaultKind, FaultRecord } from './faults.js';
import type { RetryCounts } from './http.js';
import type { OrderKind } from './order-run.js';
import type { Verification } from './checks/context.js';

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
