// Reading workflow histories: the source of truth for what ran, on any Temporal server (the time-skipping test server
// has next to no visibility, histories work everywhere).
import { defaultPayloadConverter, type PayloadCodec, type ProtoFailure } from '@temporalio/common';
import { decode, decodeFailure } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { Client, WorkflowHandle } from '@temporalio/client';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];
type Payloads = { payloads?: Parameters<typeof defaultPayloadConverter.fromPayload>[0][] | null } | null | undefined;

/**
 * A workflow's history with its payloads and failure messages decrypted through the client's payload codec (every
 * payload is encrypted, docs/operations.md). What cannot be decrypted (a deleted order's) stays as it is.
 */
export async function fetchDecodedHistory(client: Client, workflowId: string): Promise<History> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await decodeWithin(history, client.options.loadedDataConverter.payloadCodecs);
  return history;
}

async function decodeWithin(value: unknown, codecs: PayloadCodec[]): Promise<void> {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  const v = value as Record<string, unknown>;
  try {
    if (Array.isArray(v.payloads)) v.payloads = await decode(codecs, v.payloads as Parameters<typeof decode>[1]);
    if (v.encodedAttributes && 'message' in v) {
      // A failure whose message and stack trace were encoded (so encrypted) with it.
      const failure = await decodeFailure(codecs, v as ProtoFailure);
      const attributes = defaultPayloadConverter.fromPayload<{ message?: string }>(failure.encodedAttributes!);
      Object.assign(v, failure, { message: attributes.message ?? failure.message });
    }
  } catch {
    return;
  }
  for (const child of Object.values(v)) await decodeWithin(child, codecs);
}

/** The first payload of a payload list, decoded (JSON, as the SDK's default converter wrote it); else undefined. */
export function decoded<T>(payloads: Payloads): T | undefined {
  const first = payloads?.payloads?.[0];
  try {
    return first ? defaultPayloadConverter.fromPayload<T>(first) : undefined;
  } catch {
    return undefined; // a payload no key opens any more (a deleted order's)
  }
}

export function eventTime(e: HistoryEvent): string {
  const t = e.eventTime;
  if (!t) return '';
  return new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

/** The workflow's input (its first argument). */
export function startInput<T>(history: History): T | undefined {
  return decoded<T>(history.events?.[0]?.workflowExecutionStartedEventAttributes?.input);
}

/** The workflow's result, once it completed. */
export function completedResult<T>(history: History): T | undefined {
  const done = history.events?.find((e) => e.workflowExecutionCompletedEventAttributes);
  return decoded<T>(done?.workflowExecutionCompletedEventAttributes?.result);
}

/** The child workflows the workflow started, in order. */
export function childStarts(history: History): Array<{ workflowId: string; type: string }> {
  return (history.events ?? []).flatMap((e) => {
    const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
    return a?.workflowId && a.workflowType?.name ? [{ workflowId: a.workflowId, type: a.workflowType.name }] : [];
  });
}

export interface ActivityRun {
  activity: string;
  scheduledAt: string;
  /** Temporal's attempt number of the run that ended it (retries inside one scheduled activity). */
  attempt: number;
  endedAt?: string;
  result?: unknown;
  failure?: string;
}

/** Every activity of the history with how it ended (still open ones have no `endedAt`). */
export function activityRuns(history: History): ActivityRun[] {
  const runs = new Map<string, ActivityRun>();
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      runs.set(String(e.eventId), {
        activity: scheduled.activityType?.name ?? '',
        scheduledAt: eventTime(e),
        attempt: 1,
      });
      continue;
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const run = runs.get(String(started.scheduledEventId));
      if (run) run.attempt = started.attempt ?? 1;
      continue;
    }
    const completed = e.activityTaskCompletedEventAttributes;
    const failed = e.activityTaskFailedEventAttributes;
    const timedOut = e.activityTaskTimedOutEventAttributes;
    const run = runs.get(String((completed ?? failed ?? timedOut)?.scheduledEventId));
    if (!run) continue;
    run.endedAt = eventTime(e);
    if (completed) run.result = decoded(completed.result);
    if (failed) run.failure = failed.failure?.message ?? 'failed';
    if (timedOut) run.failure = `timed out${timedOut.failure?.message ? `: ${timedOut.failure.message}` : ''}`;
  }
  return [...runs.values()];
}
