import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { buildWorkflowBundle } from '../../scripts/workflow-bundle.mjs';
import { replayDataConverter } from '../../workflows/test/support/replay-codec.js';

const HISTORIES = new URL('../../workflows/test/histories/', import.meta.url);

// The container image's orchestrator runs a workflow bundle prebuilt by scripts/build-services.mjs
// (ORCHESTRATOR_WORKFLOW_BUNDLE). Every recorded history must replay against that bundle exactly as against the
// workflow sources (workflows/test/replay.test.ts): the prebuilt bundle is the same workflow code.
describe('prebuilt workflow bundle', () => {
  it('replays every history in workflows/test/histories without nondeterminism', async () => {
    const code = await buildWorkflowBundle();
    expect(code.length).toBeGreaterThan(0);
    const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((file) => ({
      workflowId: file,
      // JSON as exported by Temporal; the replay worker converts it (Worker.validateHistory).
      history: JSON.parse(readFileSync(new URL(file, HISTORIES), 'utf8')) as unknown,
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { code }, dataConverter: replayDataConverter() },
      histories,
    )) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
