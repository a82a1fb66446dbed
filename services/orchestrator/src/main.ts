import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { runWorkerService } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';

const service = 'orchestrator';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });

// Hosts workflows only; every activity runs in its own service on its own task queue.
await runWorkerService({
  service,
  config,
  logger,
  healthPort: config.healthPorts.orchestrator,
  taskQueue: TASK_QUEUES.ORCHESTRATOR,
  // A bounded cache keeps memory flat however many orders are open; an evicted order replays its history when
  // its next timer or signer action arrives.
  // The container image runs the bundle prebuilt at image build (scripts/build-services.mjs), where the workflow
  // sources are absent; elsewhere the worker bundles them at start.
  worker: {
    ...(config.orchestrator.workflowBundle
      ? { workflowBundle: { codePath: config.orchestrator.workflowBundle } }
      : { workflowsPath: (await import('./workflows-path.js')).workflowsPath }),
    maxCachedWorkflows: config.orchestrator.maxCachedWorkflows,
  },
});
