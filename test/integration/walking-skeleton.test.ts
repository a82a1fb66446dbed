import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticRoundtripResult } from '@esign/temporal-contracts';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { gatewayOperatorUrl, stackClients } from '../support/clients.js';

// gateway → Temporal → orchestrator workflow → document-storage activity → S3 + Redis, and back, on real servers.
describe('walking skeleton', () => {
  let clients: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    clients = await stackClients();
  });
  afterAll(async () => {
    await clients.close();
  });

  it('answers with what the workflow returned, after the activity wrote, read back and removed its probes', async () => {
    const res = await fetch(gatewayOperatorUrl('/diagnostics/roundtrip'), { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as DiagnosticRoundtripResult;
    expect(body.probeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.workflowId).toBe(`diagnostic-${body.probeId}`);
    expect(body.notification).toEqual({ smtp: 'reachable' });
    expect(body.archive).toEqual({ bucket: clients.config.s3.buckets.archive });

    // The object was written (S3 answered with its ETag) and read back, then it and the Redis key were deleted.
    expect(body.s3.etag).toMatch(/\S/);
    expect(body.s3.key).toBe(`diagnostics/${body.probeId}.json`);
    expect(body.cleanedUp).toBe(true);
    await expect(clients.s3.statObject(body.s3.bucket, body.s3.key)).rejects.toMatchObject({ code: 'NotFound' });
    expect(await clients.redis.exists(body.redisKey)).toBe(0);

    // The workflow is recorded in Temporal, completed, with its activities on the service task queues.
    const handle = clients.temporal.workflow.getHandle(body.workflowId);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.taskQueue).toBe(TASK_QUEUES.ORCHESTRATOR);
    const history = await handle.fetchHistory();
    const queues = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name)
      .filter((q): q is string => Boolean(q));
    expect(queues.sort()).toEqual([TASK_QUEUES.ARCHIVE, TASK_QUEUES.DOCUMENT_STORAGE, TASK_QUEUES.NOTIFICATION].sort());
  });

  it('gives every round trip its own workflow and objects', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map(async () => {
        const res = await fetch(gatewayOperatorUrl('/diagnostics/roundtrip'), { method: 'POST' });
        return (await res.json()) as DiagnosticRoundtripResult;
      }),
    );
    expect(a?.workflowId).not.toBe(b?.workflowId);
    expect(a?.s3.key).not.toBe(b?.s3.key);
  });
});
