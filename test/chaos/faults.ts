// The faults of the chaos run: three services killed with SIGKILL (kill -9: no drain, no cleanup) and started again,
// three servers stopped and started again on the same port and data. Each is applied while orders are in flight.
import type { ServerName, ServiceName, Stack } from '@esign/devstack';

export const FAULT_KINDS = [
  'kill-orchestrator',
  'kill-notification',
  'kill-gateway',
  'restart-temporal',
  'restart-redis',
  'restart-seaweedfs',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

type FaultTarget = { service: ServiceName } | { server: ServerName; graceMs?: number };

export const FAULTS: Record<FaultKind, FaultTarget & { label: string; exercises: string }> = {
  'kill-orchestrator': {
    service: 'orchestrator',
    label: 'kill -9 orchestrator worker',
    exercises:
      'workflow tasks and order activities in flight are lost with the worker; a new worker replays each ' +
      "order's history and carries on (timers, signer Updates waiting for acceptance, child workflows)",
  },
  'kill-notification': {
    service: 'notification',
    label: 'kill -9 notification worker',
    exercises:
      'sends cut off mid-flight: the delivery ledger in Redis decides whether a retry sends (never sent) or not ' +
      '(sent, or uncertain: recorded as ERROR); URL retries wait in the task queue for the new worker',
  },
  'kill-gateway': {
    service: 'gateway',
    label: 'kill -9 gateway',
    exercises:
      'uploads, order creations and deletions cut off mid-request: clients retry, creations with the same ' +
      'Idempotency-Key must land on the one order; reads fall back to the Redis read model',
  },
  'restart-temporal': {
    server: 'temporal',
    label: 'restart Temporal dev server (same SQLite file)',
    exercises:
      'every worker and client loses its connection; polls, Updates and update-with-start creations fail or ' +
      'hang and are retried; history, timers and the task queues must survive in the SQLite file',
  },
  'restart-redis': {
    server: 'redis',
    label: 'restart Redis (AOF)',
    exercises:
      'read model, upload metadata, idempotency keys and the delivery ledger unavailable: the gateway answers 503, ' +
      'activities fail and are retried; everything written must come back from the append-only file',
  },
  'restart-seaweedfs': {
    server: 'seaweedfs',
    // `weed mini` often hangs in its shutdown (its admin plugin) long after S3 has stopped answering: SIGKILL then.
    graceMs: 3000,
    label: 'restart SeaweedFS (same data dir)',
    exercises:
      'uploads, document reads and sealing (result writes) fail and are retried; every stored original and ' +
      'result must survive the restart byte for byte',
  },
};

export interface FaultRecord {
  kind: FaultKind;
  /** ms since the run began. */
  at: number;
  /** From the kill (or the stop) until the new process was ready again. */
  downMs: number;
  /** How the old process ended (a server that ignored SIGTERM too long ends on SIGKILL). */
  oldEnded: string;
  /** Set when the part could not be brought back. */
  error?: string;
  /** Client steps retried while this fault was on (or just after), by step and why. */
  hits: Record<string, number>;
}

/**
 * Applies one fault: the part is taken down, left down for `pauseMs` (so requests and tasks pile up against it),
 * then started again, waiting until it is ready.
 */
export async function applyFault(stack: Stack, kind: FaultKind, pauseMs: number, runStart: number) {
  const fault = FAULTS[kind];
  const began = Date.now();
  const record: FaultRecord = { kind, at: began - runStart, downMs: 0, oldEnded: '', hits: {} };
  try {
    if ('service' in fault) {
      const old = stack.services.find((s) => s.name === fault.service)!.process;
      await stack.killService(fault.service);
      record.oldEnded = old.exited() ?? '';
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await stack.startService(fault.service);
    } else {
      const old = stack.processes.find((p) => p.name === fault.server)!;
      await stack.restartServer(fault.server, { downMs: pauseMs, graceMs: fault.graceMs });
      record.oldEnded = old.exited() ?? '';
    }
  } catch (err) {
    record.error = err instanceof Error ? err.message : String(err);
  }
  record.downMs = Date.now() - began;
  return record;
}
