import { createRequire } from 'node:module';

/** Absolute path of the workflow bundle's entry, for `Worker.create({ workflowsPath })` and bundling in tests. */
export const workflowsPath = createRequire(import.meta.url).resolve('@esign/workflows');
