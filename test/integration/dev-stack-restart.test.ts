import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS, loadConfig } from '@esign/config';
import { assertPortsFree, freePort, freeStackPorts, startStack, type Stack, type StackOptions } from '@esign/devstack';
import { connectTemporalClient, createRedis, createS3 } from '@esign/service-runtime';
import { SEARCH_ATTRIBUTES, TASK_QUEUES, WORKFLOW_TYPES } from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The dev stack's promise: stop it and start it again on the same data dir, and nothing is gone.
describe('dev stack persistence across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-restart-'));
  let options: StackOptions;
  let stack: Stack | undefined;

  beforeAll(async () => {
    options = {
      dataDir,
      ports: await freeStackPorts(true),
      s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'restart-documents', archive: 'restart-archive' } },
      persistentRedis: true,
      services: [],
    };
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function clientsOf(s: Stack) {
    const config = loadConfig(s.env);
    const redis = createRedis(config, () => undefined);
    const temporal = await connectTemporalClient(config, redis);
    return {
      config,
      temporal,
      redis,
      s3: createS3(config),
      close: async () => {
        await temporal.connection.close();
        redis.disconnect();
      },
    };
  }

  it('keeps workflow history, Redis keys, S3 objects, search attributes and the test PKI', async () => {
    const probe = newId();
    const workflowId = `restart-probe-${probe}`;
    stack = await startStack(options);
    expect((await fetch(stack.urls.temporalUi!)).status).toBe(200);
    let c = await clientsOf(stack);
    // No worker polls this queue, so the workflow stays open across the restart.
    await c.temporal.workflow.start(WORKFLOW_TYPES.DIAGNOSTIC_ROUNDTRIP, {
      taskQueue: `${TASK_QUEUES.ORCHESTRATOR}-unpolled`,
      workflowId,
      args: [{ probeId: probe }],
    });
    await c.redis.set(`restart:${probe}`, 'kept');
    await c.s3.putObject('restart-documents', `restart/${probe}`, Buffer.from('kept'));
    const sealPem = () => readFileSync(join(dataDir, 'signing', 'seal.pem'), 'utf8');
    const pki = { root: stack.pki.rootPem, seal: sealPem(), tsa: stack.pki.tsaUrl() };
    await c.close();
    await stack.stop();
    stack = undefined;

    // Every port is free again: nothing was left running.
    await assertPortsFree({
      TEMPORAL_PORT: options.ports.temporal,
      REDIS_PORT: options.ports.redis,
      S3_PORT: options.ports.s3,
      PKI_PORT: options.ports.pki,
    });

    stack = await startStack(options);
    c = await clientsOf(stack);
    try {
      const description = await c.temporal.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(await c.redis.get(`restart:${probe}`)).toBe('kept');
      const stat = await c.s3.statObject('restart-documents', `restart/${probe}`);
      expect(stat.size).toBe(4);
      const { customAttributes } = await c.temporal.connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      for (const name of Object.values(SEARCH_ATTRIBUTES)) expect(customAttributes?.[name]).toBeDefined();
      // The same PKI: its keys and dates are kept, so certomancer issues the very same certificates again.
      expect({ root: stack.pki.rootPem, seal: sealPem(), tsa: stack.pki.tsaUrl() }).toEqual(pki);
      expect((await fetch(`${stack.urls.pki}/esign/crls/root/latest.crl`)).status).toBe(200);
      await c.temporal.workflow.getHandle(workflowId).terminate('test done');
    } finally {
      await c.close();
    }
  });

  it('names the variable of a port that is already taken', async () => {
    stack ??= await startStack(options);
    await expect(assertPortsFree({ REDIS_PORT: options.ports.redis, GATEWAY_PORT: await freePort() })).rejects.toThrow(
      new RegExp(`port ${options.ports.redis} \\(REDIS_PORT\\) is already in use`),
    );
  });
});
