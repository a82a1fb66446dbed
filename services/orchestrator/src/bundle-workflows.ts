// Bundles the workflow code into one file, in a process of its own: `node --import tsx bundle-workflows.ts <out>`.
// The orchestrator runs it at start when no prebuilt bundle is configured, so webpack's memory (about 100 MiB that
// a worker process never gives back) stays out of the long-running worker.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { failureConverterPath } from '@esign/payload-codec';
import { tracingConfigured, tracingWorkflowModules } from '@esign/service-runtime';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from './workflows-path.js';

const out = process.argv[2];
if (!out) throw new Error('usage: bundle-workflows.ts <output file>');
const quiet = () => undefined;
const logger = { trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error, log: quiet };
// With tracing on, the worker's tracing plugin expects its workflow interceptors in the bundle.
const workflowInterceptorModules = tracingConfigured() ? tracingWorkflowModules() : [];
// Failures leave the workflows with their message and stack encoded, so the payload codec encrypts them too.
const { code } = await bundleWorkflowCode({
  workflowsPath,
  workflowInterceptorModules,
  failureConverterPath: failureConverterPath(),
  logger,
});
mkdirSync(dirname(out), { recursive: true });
// Whole or not at all: another orchestrator on the same data dir may be loading the previous one.
writeFileSync(`${out}.${process.pid}.tmp`, code);
renameSync(`${out}.${process.pid}.tmp`, out);
