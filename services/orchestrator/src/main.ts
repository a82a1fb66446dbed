import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { runWorkerService } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';

const service = 'orchestrator';

/** Bundles the workflow sources into the data dir by a child process (see bundle-workflows.ts); its path. */
function bundleWorkflows(dataDir: string): string {
  const out = join(dataDir, 'orchestrator', 'workflow-bundle.js');
  const script = fileURLToPath(new URL('./bundle-workflows.ts', import.meta.url));
  // The worker's loader (tsx) but not its heap limits: webpack needs more than the worker does.
  const loader = process.execArgv.filter((arg) => !arg.startsWith('--max-'));
  execFileSync(process.execPath, [...loader, script, out], { stdio: 'inherit' });
  return out;
}
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
  // sources are absent; elsewhere the workflow sources are bundled at start, in a child process.
  worker: {
    workflowBundle: { codePath: config.orchestrator.workflowBundle ?? bundleWorkflows(config.signing.dataDir) },
    maxCachedWorkflows: config.orchestrator.maxCachedWorkflows,
  },
});
