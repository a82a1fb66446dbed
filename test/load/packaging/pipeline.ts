// The pipeline case: an order of N signers through the gateway, each task signed through its Update path, timed from
// the last SIGNED until the packaging status API says COMPLETED, with the parts read from the packaging child's history.
import { ids } from '@esign/temporal-contracts';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { signDocument } from '../../support/tasks.js';
import type { BenchStack } from '../bench-stack.js';
import { documentText, PKG, sealRequest } from './signers.js';

const POLL_MS = 20;
export const SIGN_CONCURRENCY = 4;

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];
/** Epoch ms of a Temporal history event. */
const msOf = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** The packaging child's history: when it started, and its `packageDocuments` activity (epoch ms). */
function packagingParts(events: HistoryEvent[]) {
  const scheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'packageDocuments',
  );
  const id = Number(scheduled?.eventId);
  const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
  const completed = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
  if (!events[0] || !scheduled || !started || !completed) throw new Error('no completed packageDocuments activity');
  return { workflowStarted: msOf(events[0]), activityStarted: msOf(started), activityDone: msOf(completed) };
}

/** Runs `jobs` with at most `limit` at once. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

export interface PipelineRun {
  orderId: string;
  /** All N tasks signed (first SIGNED sent → last returned). */
  signing: number;
  /** Last SIGNED Update returned → status API says COMPLETED. */
  packaging: number;
  toChild: number;
  toActivity: number;
  activity: number;
  toStatus: number;
}

/** Runs the pipeline case for N signers over the bench stack's API and Temporal client. */
export function packagingPipeline({ api, auth }: Pick<BenchStack, 'api' | 'auth'>, client: Client) {
  const call = async <T>(path: string, init: RequestInit = {}, expect = 200): Promise<T> => {
    const res = await fetch(`${api}${path}`, { ...init, headers: { ...auth, ...init.headers } });
    if (res.status !== expect)
      throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const createOrder = async (n: number): Promise<string> => {
    const refs = await pool(
      Array.from({ length: n }, (_, i) => async () => {
        const body = documentText(n, i + 1);
        const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body };
        return (await call<{ documentId: string }>('/documents', init, 201)).documentId;
      }),
      SIGN_CONCURRENCY,
    );
    const tasks = refs.map((documentRef, i) => ({
      id: `signer${i + 1}`,
      documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef }],
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
    }));
    const order = {
      clientReference: `bench-packaging-${n}`,
      tasks,
      packagingTasks: [
        {
          id: PKG,
          method: 'pades',
          sendToArchive: false,
          documents: tasks.map((t) => ({ taskId: t.id, documentIds: ['doc1'] })),
        },
      ],
    };
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) };
    return (await call<{ id: string }>('/orders', init, 201)).id;
  };
  const packagingStatus = (orderId: string) =>
    call<{ packagingTaskStatus: string }>(`/orders/${orderId}/packaging-tasks/${PKG}/status`);

  const pipeline = async (n: number): Promise<PipelineRun> => {
    const orderId = await createOrder(n);
    const before = (await packagingStatus(orderId)).packagingTaskStatus;
    if (before !== 'CREATED') throw new Error(`packaging status before signing: ${before}`);
    const signStart = performance.now();
    let lastPerf = 0;
    let lastEpoch = 0;
    await pool(
      Array.from({ length: n }, (_, i) => async () => {
        const taskId = `signer${i + 1}`;
        const { taskStatus } = await signDocument(client, orderId, taskId, 'doc1', sealRequest(i + 1));
        if (taskStatus !== 'COMPLETED') throw new Error(`${taskId} is ${taskStatus} after signing`);
        lastPerf = performance.now();
        lastEpoch = Date.now();
      }),
      SIGN_CONCURRENCY,
    );
    const deadline = lastPerf + 120_000;
    for (;;) {
      const { packagingTaskStatus } = await packagingStatus(orderId);
      if (packagingTaskStatus === 'COMPLETED') break;
      if (packagingTaskStatus === 'FAILED') throw new Error(`packaging of ${n} signers FAILED (order ${orderId})`);
      if (performance.now() > deadline) throw new Error(`packaging of ${n} signers not done after 120 s`);
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
    const donePerf = performance.now();
    const doneEpoch = Date.now();
    const history = await client.workflow.getHandle(ids.packaging(orderId, PKG)).fetchHistory();
    const p = packagingParts(history.events ?? []);
    return {
      orderId,
      signing: lastPerf - signStart,
      packaging: donePerf - lastPerf,
      toChild: p.workflowStarted - lastEpoch,
      toActivity: p.activityStarted - p.workflowStarted,
      activity: p.activityDone - p.activityStarted,
      toStatus: doneEpoch - p.activityDone,
    };
  };
  return pipeline;
}
