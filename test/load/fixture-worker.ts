// Workers in the benchmark process for the raw-engine fixtures (test/load/fixtures), on their own task queues of the
// stack's Temporal server: one for the fixture workflows (which also runs their activities when they are scheduled
// on its queue), one for activities only (what a service worker is to the order workflows).
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@esign/config';
import { encryptingDataConverter, memoryPayloadEncryption } from '@esign/payload-codec';
import { newId } from '@esign/temporal-contracts/random';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fixtureActivities } from './fixtures/activities.js';

// The worker logs at WARN: bundle stats and state changes only drown the benchmark's output.
Runtime.install({ logger: new DefaultLogger('WARN') });

export const FIXTURE_QUEUE = 'bench-fixtures';
export const FIXTURE_ACTIVITY_QUEUE = 'bench-fixture-activities';

export interface FixtureWorker {
  /** The fixture workflows' queue. */
  taskQueue: string;
  /** The activity-only worker's queue. */
  activityQueue: string;
  stop(): Promise<void>;
}

/**
 * The fixture workers on the stack of `env`, with the services' payload encryption (the fixtures belong to no order,
 * so the configured keys are all they need), so the raw side pays what the platform pays per payload.
 */
export async function startFixtureWorker(env: Record<string, string>): Promise<FixtureWorker> {
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
  const dataConverter = encryptingDataConverter(memoryPayloadEncryption(loadConfig(env).payloads).codec);
  let workers: Worker[];
  try {
    workers = await Promise.all([
      Worker.create({
        connection,
        taskQueue: FIXTURE_QUEUE,
        workflowsPath: fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)),
        activities: fixtureActivities,
        dataConverter,
      }),
      Worker.create({ connection, taskQueue: FIXTURE_ACTIVITY_QUEUE, activities: fixtureActivities, dataConverter }),
    ]);
  } catch (err) {
    await connection.close();
    throw err;
  }
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    taskQueue: FIXTURE_QUEUE,
    activityQueue: FIXTURE_ACTIVITY_QUEUE,
    stop: async () => {
      // The Temporal runtime may have shut them down already (it handles SIGINT/SIGTERM itself).
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** The raw side of order creation (case 1): a start of the empty fixture workflow, which a worker here runs. */
export const rawWorkflowStart = (temporal: Client, fixtures: FixtureWorker) => async (): Promise<void> => {
  await temporal.workflow.start('emptyWorkflow', {
    taskQueue: fixtures.taskQueue,
    workflowId: `bench-empty-${newId()}`,
  });
};

/**
 * The workflow-owned anchor of order creation (case 1): update-with-start of `workflowOwnedCreation`, answered when
 * its update (one activity on the activity-only queue, one child start) has completed.
 */
export const workflowOwnedStart = (temporal: Client, fixtures: FixtureWorker) => async (): Promise<void> => {
  await temporal.workflow.executeUpdateWithStart('create', {
    startWorkflowOperation: new WithStartWorkflowOperation('workflowOwnedCreation', {
      taskQueue: fixtures.taskQueue,
      workflowId: `bench-owned-${newId()}`,
      args: [fixtures.activityQueue],
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
};
