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

/** Bundles the workflow code with Temporal's own bundler and its default options; resolves to the bundle's code. */
export async function buildWorkflowBundle() {
  /** @type {typeof import('@temporalio/worker')} */
  const { bundleWorkflowCode } = await import(fromOrchestrator.resolve('@temporalio/worker'));
  const quiet = () => {};
  const logger = { trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error, log: quiet };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger });
  return code;
}
