// The orchestrator's workflow bundle, built ahead of time: the container image runs this file
// (ORCHESTRATOR_WORKFLOW_BUNDLE) instead of bundling the workflow sources with webpack at every worker start. The
// same function builds the bundle in the image (scripts/build-services.mjs) and in the replay test that proves it.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './tools.mjs';

// Resolved the way the orchestrator resolves them, so the bundle holds exactly the code its worker would bundle.
const fromOrchestrator = createRequire(join(ROOT, 'services', 'orchestrator', 'package.json'));

/** Absolute path of the workflows' entry (`@esign/workflows`), as services/orchestrator/src/workflows-path.ts. */
export const workflowsPath = fromOrchestrator.resolve('@esign/workflows');

/** The failure converter every client and worker uses (failures encoded, so the payload codec encrypts them). */
export const failureConverterPath = fromOrchestrator.resolve('@esign/payload-codec/failure-converter');

/** Bundles the workflow code with Temporal's own bundler and the platform's failure converter; resolves to the code. */
export async function buildWorkflowBundle() {
  /** @type {typeof import('@temporalio/worker')} */
  const { bundleWorkflowCode } = await import(fromOrchestrator.resolve('@temporalio/worker'));
  const quiet = () => {};
  const logger = { trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error, log: quiet };
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger });
  return code;
}
