import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticRoundtripResult } from '@esign/temporal-contracts';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { gatewayUrl, stackClients } from '../support/clients.js';

// gateway → Temporal → orchestrator workflow → document-storage activity → S3 + Redis, and back, on real servers.
describe('walking skeleton', () => {
  let clients: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    clients = await stackClients();
  });
  afterAll(async () => {
    await clients.close();
  });

  it('answers with what the workflow returned, after the activity wrote to S3 and Redis', async () => {
    const res = await fetch(gatewayUrl('/diagnostics/roundtrip'), { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as DiagnosticRoundtripResult;
    expect(body.probeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.workflowId).toBe(`diagnostic-${body.probeId}`);
    expect(body.notification).toEqual({ smtp: 'reachable' });
    expect(body.archive).toEqual({ bucket: clients.config.s3.buckets.archive });

    // The object really is in S3, with the probe's content.
    const stream = await clients.s3.getObject(body.s3.bucket, body.s3.key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({ probeId: body.probeId, storedAt: body.storedAt });

    // The key really is in Redis, pointing at the object, with an expiry.
    const stored = JSON.parse((await clients.redis.get(body.redisKey)) ?? 'null') as { key: string } | null;
    expect(stored?.key).toBe(body.s3.key);
    expect(await clients.redis.ttl(body.redisKey)).toBeGreaterThan(0);

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
        const res = await fetch(gatewayUrl('/diagnostics/roundtrip'), { method: 'POST' });
        return (await res.json()) as DiagnosticRoundtripResult;
      }),
    );
    expect(a?.workflowId).not.toBe(b?.workflowId);
    expect(a?.s3.key).not.toBe(b?.s3.key);
  });
});
