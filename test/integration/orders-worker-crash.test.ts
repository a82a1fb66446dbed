import { freePort, startServices, type RunningService } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { signDocument, signerAction } from '../support/tasks.js';
import { extraLogDir } from '../support/extra-logs.js';

const stack = inject('stack');

async function orchestrator(): Promise<RunningService> {
  const logDir = extraLogDir('orchestrator');
  const env = { ...stack.env, ORCHESTRATOR_HEALTH_PORT: String(await freePort()) };
  const [service] = await startServices({ names: ['orchestrator'], env, logDir });
  return service!;
}

// The stack's own orchestrator is paused for the test, so the one this test kills is the only worker an order
// can run on; a fresh worker must then carry the order on from its history.
describe('orchestrator worker killed mid-order', () => {
  const paused = stack.servicePids.orchestrator;
  let c: Awaited<ReturnType<typeof stackClients>>;
  const started: RunningService[] = [];
  beforeAll(async () => {
    c = await stackClients();
    expect(paused).toBeGreaterThan(0);
    process.kill(paused!, 'SIGSTOP');
  });
  afterAll(async () => {
    for (const s of started) await s.process.stop();
    process.kill(paused!, 'SIGCONT');
    await c.close();
  });

  it('resumes the order where it was on a new worker', async () => {
    started.push(await orchestrator());
    const { order } = await simpleOrder('demo');
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    // The paused worker's outstanding polls may take the order's first workflow tasks, each then lost to its 10 s
    // timeout before the new worker runs it: the task opens later than the portal's usual 10 s wait.
    await signerAction(c.temporal, id, 'signer1', { type: 'STARTED' }, 60_000);

    process.kill(started[0]!.process.pid, 'SIGKILL');
    started.push(await orchestrator());

    // Signing the only document completes the task. The killed worker's sticky queue holds the task's next workflow
    // task until its schedule-to-start timeout moves it to the new worker: longer than the portal's bounded wait.
    const signed = await signDocument(c.temporal, id, 'signer1', 'doc1', undefined, 60_000);
    expect(signed).toEqual({ taskStatus: 'COMPLETED' });
    const status = (await (await api('demo', `/orders/${id}/tasks/signer1/status`)).json()) as { taskStatus: string };
    expect(status.taskStatus).toBe('COMPLETED');
    const events = (await (await api('demo', `/orders/${id}/tasks/signer1/events`)).json()) as Array<{
      eventType: string;
    }>;
    const types = events.map((e) => e.eventType);
    expect(types).toEqual(
      expect.arrayContaining(['TASK_CREATED', 'TASK_STARTED', 'DOCUMENT_SIGNED', 'TASK_COMPLETED']),
    );
    // each happened once, however many workers replayed the history
    expect(types.filter((t) => t === 'TASK_STARTED')).toHaveLength(1);
    expect(types.filter((t) => t === 'TASK_COMPLETED')).toHaveLength(1);
  });
});
