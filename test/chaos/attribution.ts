// Which fault a retry, an ERROR-recorded delivery or a repeated URL call fell into, and the faults summed up by kind.
import type { RepeatedCall } from './checks/notifications.js';
import type { FaultKind, FaultRecord } from './faults.js';

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
export const IN_FLIGHT_MS = 3000;

/** The faults that can cut in between a URL receiver's 200 and the notification worker's record of it. */
export const REPEATS_URL_CALLS = new Set<FaultKind>(['kill-notification', 'restart-redis']);

export function summarise(faults: FaultRecord[], errors: Attributed[], repeats: RepeatedCall[]): FaultSummary[] {
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
