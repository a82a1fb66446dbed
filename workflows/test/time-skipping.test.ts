import { fileURLToPath } from 'node:url';
import { loadConfig } from '@esign/config';
import { tool } from '@esign/devstack';
import { encryptingDataConverter, memoryPayloadEncryption } from '@esign/payload-codec';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Long timers are tested on the Java time-skipping test server installed by the bootstrap (never downloaded).
describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  // Payloads encrypted as everywhere (a workflow of no order: the configured key is all it needs).
  const dataConverter = encryptingDataConverter(memoryPayloadEncryption(loadConfig({}).payloads).codec);
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: tool('temporal-test-server') } },
      client: { dataConverter },
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a 30-day durable timer to completion without waiting 30 days', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping-test',
      workflowsPath: fileURLToPath(new URL('./fixtures/long-timer.ts', import.meta.url)),
      dataConverter,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute('longTimer', {
        taskQueue: 'time-skipping-test',
        workflowId: 'long-timer-test',
        args: [{ days: 30 }],
      }),
    );
    const elapsedDays = (result.after - result.before) / 86_400_000;
    expect(elapsedDays).toBeGreaterThanOrEqual(30);
    expect(elapsedDays).toBeLessThan(30.01);
  });
});
