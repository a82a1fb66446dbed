import { describe, expect, inject, it } from 'vitest';
import type { CollectedSpan } from '../support/otlp-collector.js';
import { stackClients } from '../support/clients.js';
import { createOrder, simpleOrder } from '../support/orders.js';

const stack = inject('stack');

/** Spans collected so far with this name or in this trace (a whole test run exports tens of thousands). */
async function spans(filter: { name: string } | { traceId: string }): Promise<CollectedSpan[]> {
  const query = new URLSearchParams(filter).toString();
  return (await (await fetch(`${stack.otlpUrl}/spans?${query}`)).json()) as CollectedSpan[];
}

// OpenTelemetry across processes (the Kubernetes issue): the stack's services export spans to a local OTLP
// collector; one order creation must be one trace from the gateway's request through the workflow to its activities.
describe('tracing', () => {
  it('follows one order creation from the gateway into its workflows as one trace; signer actions link to it', async () => {
    expect(stack.otlpUrl, 'the test stack runs an OTLP collector').toBeTruthy();
    const { order } = await simpleOrder('demo');
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
    // The creation's trace, as the order keeps it (the signer's actions link to exactly this one).
    const clients = await stackClients();
    const stored = await clients.orders.getOrder('demo-merchant', created.id);
    await clients.close();
    const creationTrace = /^00-([0-9a-f]{32})-/.exec(stored?.traceparent ?? '')?.[1];
    expect(creationTrace, 'the order keeps its creation traceparent').toBeTruthy();

    let trace: CollectedSpan[] = [];
    await expect
      .poll(
        async () => {
          trace = await spans({ traceId: creationTrace! });
          return trace.some((s) => s.service === 'esign-orchestrator' && s.name.includes('signingTask'));
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    const services = new Set(trace.map((s) => s.service));
    for (const service of ['esign-gateway', 'esign-orchestrator']) {
      expect(services, `spans of ${service}`).toContain(service);
    }
    const names = trace.map((s) => `${s.service} ${s.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'esign-gateway StartWorkflow:signingOrder',
        'esign-orchestrator StartChildWorkflow:signingTask',
      ]),
    );
    // the gateway's request is the root; the workflow's own span ends with the workflow, months later
    expect(trace.filter((s) => !s.parentSpanId).map((s) => s.name)).toEqual(['POST /enterprise/sign/orders']);

    // The signer opening the link is another request, another trace, linked to the creation's.
    const opened = await fetch(created.tasks[0]!.signingUrl, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    let action: CollectedSpan | undefined;
    await expect
      .poll(
        async () =>
          (action = (await spans({ name: 'signer action STARTED' })).find((s) => s.links.includes(creationTrace!))),
        { timeout: 30_000, interval: 250 },
      )
      .toBeTruthy();
    expect(action!.service).toBe('esign-signing-portal');
    expect(action!.traceId).not.toBe(creationTrace);
    await expect
      .poll(async () =>
        (await spans({ traceId: action!.traceId })).some(
          (s) => s.service === 'esign-orchestrator' && s.name === 'HandleUpdate:signerAction',
        ),
      )
      .toBe(true);
  });
});
