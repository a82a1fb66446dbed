// A worker in the benchmark process for the raw-engine fixtures (test/load/fixtures), on its own task queue of the
// stack's Temporal server.
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fixtureActivities } from './fixtures/activities.js';

// The worker logs at WARN: bundle stats and state changes only drown the benchmark's output.
Runtime.install({ logger: new DefaultLogger('WARN') });

export const FIXTURE_QUEUE = 'bench-fixtures';

export interface FixtureWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startFixtureWorker(address: string): Promise<FixtureWorker> {
  const connection = await NativeConnection.connect({ address });
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      taskQueue: FIXTURE_QUEUE,
      workflowsPath: fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)),
      activities: fixtureActivities,
    });
  } catch (err) {
    await connection.close();
    throw err;
  }
  const running = worker.run();
  return {
    taskQueue: FIXTURE_QUEUE,
    stop: async () => {
      // The Temporal runtime may have shut it down already (it handles SIGINT/SIGTERM itself).
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
