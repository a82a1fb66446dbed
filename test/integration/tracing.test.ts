import { describe, expect, inject, it } from 'vitest';
import type { CollectedSpan } from '../support/otlp-collector.js';
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
    const created = (await res.json()) as { tasks: Array<{ signingUrl: string }> };

    let trace: CollectedSpan[] = [];
    await expect
      .poll(
        async () => {
          // The latest order creation that reached Temporal (an earlier test's refused order has a root span too).
          const started = new Set((await spans({ name: 'StartWorkflow:signingOrder' })).map((s) => s.traceId));
          const root = (await spans({ name: 'POST /enterprise/sign/orders' }))
            .filter((s) => s.service === 'esign-gateway')
            .findLast((r) => started.has(r.traceId));
          trace = root ? await spans({ traceId: root.traceId }) : [];
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
    const creationTrace = trace[0]!.traceId;
    let action: CollectedSpan | undefined;
    await expect
      .poll(
        async () =>
          (action = (await spans({ name: 'signer action STARTED' })).find((s) => s.links.includes(creationTrace))),
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
