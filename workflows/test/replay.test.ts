import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from './support/order-env.js';
import { replayDataConverter } from './support/replay-codec.js';

const HISTORIES = new URL('./histories/', import.meta.url);

// Every recorded history must replay against the current workflow code: a change that would make a running order
// take another path fails here, and must be wrapped in `patched('<change-name>')` (workflows/README.md). Histories
// recorded since payload encryption are encrypted: they replay through the codec, with their orders' data keys.
// Re-record with: RECORD_HISTORIES=1 npx vitest run --project integration workflows/test/signing-order
// workflows/test/notifications
describe('replay of recorded histories', () => {
  it('replays every history in workflows/test/histories without nondeterminism', async () => {
    const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((file) => ({
      workflowId: file,
      history: historyFromJSON(JSON.parse(readFileSync(new URL(file, HISTORIES), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath, dataConverter: replayDataConverter() },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
