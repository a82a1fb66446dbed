import { ids } from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { signDocument, signerAction } from '../support/tasks.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;
type Order = { id: string; clientReference: string; tasks: Array<Record<string, unknown>> };

const stack = inject('stack');

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('signing orders through the API', () => {
  let c: Clients;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c.close();
  });

  it('creates an order and serves it, its task status, events, forwards and original document', async () => {
    const { order, documentRef } = await simpleOrder('demo');
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const created = (await res.json()) as Order;
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.headers.get('location')).toBe(`/enterprise/sign/orders/${created.id}`);
    expect(created.clientReference).toBe('contract-42');
    const task = created.tasks[0]!;
    expect(task).toMatchObject({ id: 'signer1', status: 'CREATED', daysToLive: 30, language: 'en' });
    const portal = stack.env.SIGNING_PORTAL_URL ?? 'http://127.0.0.1:8081';
    expect(task.signingUrl).toMatch(
      new RegExp(`^${portal}/std/docaction\\?request_id=${created.id}&task_id=signer1&sign_code=[A-Za-z0-9_-]{43}$`),
    );

    expect(await (await api('demo', `/orders/${created.id}`)).json()).toEqual(created);
    const status = (await (await api('demo', `/orders/${created.id}/tasks/signer1/status`)).json()) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({ orderId: created.id, taskId: 'signer1', taskStatus: 'CREATED' });
    expect(status.documents).toEqual([
      {
        id: 'doc1',
        originalUri: `${c.config.publicUrl}/enterprise/sign/orders/${created.id}/tasks/signer1/documents/doc1/original`,
      },
    ]);
    const events = (await (await api('demo', `/orders/${created.id}/tasks/signer1/events`)).json()) as Array<{
      eventType: string;
    }>;
    expect(events.map((e) => e.eventType)).toContain('TASK_CREATED');
    expect(await (await api('demo', `/orders/${created.id}/tasks/signer1/forwards`)).json()).toEqual([]);
    const original = await api('demo', `/orders/${created.id}/tasks/signer1/documents/doc1/original`);
    expect(await original.text()).toBe('Please sign this agreement.');
    // The order keeps its own copy once its first activity has run; the upload stays the client's.
    const copy = storageKeys.orderDocument('demo-merchant', created.id, documentRef);
    await expect.poll(() => objectNames(copy), { timeout: 10_000 }).toEqual([copy]);
    expect((await api('demo', `/documents/${documentRef}`)).status).toBe(200);
  });

  it('completes a task once the signer has done what every document asks', async () => {
    const { order } = await simpleOrder('demo');
    const task = order.tasks[0]!;
    const viewRef = await uploadOk('demo', 'Terms to read', 'text/plain');
    const documents = [...task.documents, { id: 'doc2', action: 'VIEW', source: 'SESSION', documentRef: viewRef }];
    const created = (await (await createOrder('demo', { ...order, tasks: [{ ...task, documents }] })).json()) as Order;
    await signerAction(c.temporal, created.id, 'signer1', { type: 'STARTED' });
    const viewed = await signerAction(c.temporal, created.id, 'signer1', { type: 'VIEWED', documentId: 'doc2' });
    expect(viewed).toEqual({ taskStatus: 'CREATED' });
    // no result while the task is open (contract: 409)
    const early = await api('demo', `/orders/${created.id}/tasks/signer1/documents/doc1/result`);
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // opened (VIEWED), then signed: the last document done completes the task
    const signed = await signDocument(c.temporal, created.id, 'signer1', 'doc1');
    expect(signed).toEqual({ taskStatus: 'COMPLETED' });
    const status = (await (await api('demo', `/orders/${created.id}/tasks/signer1/status`)).json()) as Record<
      string,
      unknown
    >;
    expect(status.taskStatus).toBe('COMPLETED');
    // A SIGNED action without a seal request (the portal always sends one) leaves no result to link to.
    const doc1 = (status.documents as Array<Record<string, unknown>>).find((d) => d.id === 'doc1');
    expect(doc1).toMatchObject({ originalUri: expect.stringContaining('/documents/doc1/original') });
    expect(doc1).not.toHaveProperty('resultUri');
    const events = (await (await api('demo', `/orders/${created.id}/tasks/signer1/events`)).json()) as Array<{
      eventType: string;
    }>;
    expect(events.map((e) => e.eventType)).toEqual([
      'TASK_CREATED',
      'TASK_STARTED',
      'DOCUMENT_VIEWED',
      'DOCUMENT_VIEWED',
      'DOCUMENT_SIGNED',
      'TASK_COMPLETED',
    ]);
  });

  it('keeps a one-signer order within 60 history events from creation to completion', async () => {
    const { order } = await simpleOrder('demo');
    const created = (await (await createOrder('demo', order)).json()) as Order;
    await signerAction(c.temporal, created.id, 'signer1', { type: 'STARTED' });
    await signDocument(c.temporal, created.id, 'signer1', 'doc1');
    const record = await eventually(
      () => c.orders.getOrder('demo-merchant', created.id),
      (r) => r?.status === 'COMPLETED' && Boolean(r.deleteAt),
    );
    expect(record?.status).toBe('COMPLETED');
    const count = async (id: string) => (await c.temporal.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
    const total = (await count(ids.order(created.id))) + (await count(ids.task(created.id, 'signer1')));
    expect(total).toBeLessThanOrEqual(60);
  });

  it('reports every violation at once and creates nothing for an invalid order', async () => {
    const { order, documentRef } = await simpleOrder('demo', { daysUntilDeletion: 31, clientReference: '' });
    const bad = { ...order, tasks: [{ ...order.tasks[0]!, language: 'xx', dependsOnTasks: ['nobody'] }] };
    const res = await createOrder('demo', bad);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { violations: Array<{ propertyPath: string }> };
    const paths = problem.violations.map((v) => v.propertyPath);
    for (const path of ['daysUntilDeletion', 'clientReference', 'tasks[0].language', 'tasks[0].dependsOnTasks[0]']) {
      expect(paths).toContain(path);
    }
    // Nothing was reserved for a refused order.
    const reservations = c.config.redis.keyPrefix + storageKeys.uploadReservations('demo-merchant', documentRef);
    expect(await c.redis.zcard(reservations)).toBe(0);
    for (const body of ['{not json', '[]', '"x"']) {
      const r = await api('demo', '/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(r.status).toBe(400);
    }
  });

  it('refuses configurations, identity methods and third-party signing the server does not have', async () => {
    const { order } = await simpleOrder('demo');
    const task = {
      ...order.tasks[0]!,
      configuration: 'no-such-branding',
      signatureMethods: [{ name: 'unknown-eid' }, { name: 'nbid-sign', type: 'THIRD_PARTY' }],
      authentication: { methods: ['nbid', 'also-unknown'] },
    };
    const res = await createOrder('demo', { ...order, tasks: [task] });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { violations: Array<{ propertyPath: string; message: string }> };
    expect(problem.violations.map((v) => v.propertyPath).sort()).toEqual(
      [
        'tasks[0].configuration',
        'tasks[0].signatureMethods[0].name',
        'tasks[0].signatureMethods[1].type',
        'tasks[0].authentication.methods[1]',
      ].sort(),
    );
    expect(problem.violations.find((v) => v.propertyPath === 'tasks[0].configuration')?.message).toMatch(/default/);
  });

  it('answers hostile bodies with a 4xx problem, never a 500', async () => {
    const { order } = await simpleOrder('demo');
    let deep = '0';
    for (let i = 0; i < 100_000; i++) deep = `[${deep}]`;
    const cases: Array<[string, string, number]> = [
      ['over the JSON size limit', JSON.stringify({ ...order, clientReference: 'x'.repeat(2 * 1024 * 1024) }), 413],
      ['deeply nested', `{"tasks":${deep}}`, 400],
      ['a huge number', JSON.stringify(order).replace('"tasks":', '"daysUntilDeletion":1e400,"tasks":'), 400],
      ['a 100k-element array', JSON.stringify({ ...order, tasks: Array.from({ length: 100_000 }, () => ({})) }), 400],
      ['wrong types', JSON.stringify({ ...order, tasks: 'all of them', daysUntilDeletion: '7' }), 400],
    ];
    for (const [name, body, status] of cases) {
      const res = await api('demo', '/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status, name).toBe(status);
      expect(res.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
    }
    // An unknown field is no longer refused: it is ignored and named back in X-Sign-Ignored-Fields (issue 20).
    const unknown = await createOrder('demo', { ...order, surprise: true, 'ü,%': 1 });
    expect(unknown.status).toBe(201);
    expect(unknown.headers.get('x-sign-ignored-fields')).toBe('surprise, ["%C3%BC%2C%25"]');
  });

  it("refuses a documentRef of another merchant's upload as if it did not exist", async () => {
    const foreignRef = await uploadOk('other', 'not yours', 'text/plain');
    const { order } = await simpleOrder('demo');
    const tasks = [{ ...order.tasks[0]!, documents: [{ ...order.tasks[0]!.documents[0]!, documentRef: foreignRef }] }];
    const res = await createOrder('demo', { ...order, tasks });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { violations: Array<{ propertyPath: string }> };
    expect(problem.violations.map((v) => v.propertyPath)).toEqual(['tasks[0].documents[0].documentRef']);
  });

  it('with the same Idempotency-Key returns the same order once, and 409 for another body', async () => {
    const { order } = await simpleOrder('demo');
    const key = `idem-${Date.now()}`;
    const [a, b] = await Promise.all([
      createOrder('demo', order, { 'Idempotency-Key': key }),
      createOrder('demo', order, { 'Idempotency-Key': key }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [orderA, orderB] = (await Promise.all([a.json(), b.json()])) as [Order, Order];
    expect(orderA.id).toBe(orderB.id);
    const runs = await eventually(
      async () => {
        const found: string[] = [];
        for await (const wf of c.temporal.workflow.list({ query: `SignOrderId = "${orderA.id}"` })) {
          if (wf.type === 'signingOrder') found.push(wf.runId);
        }
        return found;
      },
      (found) => found.length > 0,
    );
    expect(runs).toHaveLength(1);
    const other = await createOrder('demo', { ...order, clientReference: 'changed' }, { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
  });

  it('is found by each search attribute in Temporal', async () => {
    const { order } = await simpleOrder('demo', { clientReference: `ref-${Date.now()}` });
    const created = (await (await createOrder('demo', order)).json()) as Order;
    const queries = [
      `SignOrderId = "${created.id}"`,
      `SignMerchantId = "demo-merchant" AND SignOrderId = "${created.id}"`,
      `SignClientReference = "${created.clientReference}"`,
      `SignOrderStatus = "ACTIVE" AND SignOrderId = "${created.id}"`,
    ];
    for (const query of queries) {
      const ids = await eventually(
        async () => {
          const found: string[] = [];
          for await (const wf of c.temporal.workflow.list({ query })) found.push(wf.workflowId);
          return found;
        },
        (found) => found.includes(`order-${created.id}`),
      );
      expect(ids, query).toContain(`order-${created.id}`);
    }
  });

  it('deletes an order: 204, then 404 everywhere, and its documents are gone; the upload stays the client’s', async () => {
    const { order, documentRef } = await simpleOrder('demo');
    const created = (await (await createOrder('demo', order)).json()) as Order;
    const copy = storageKeys.orderDocument('demo-merchant', created.id, documentRef);
    await expect.poll(() => objectNames(copy), { timeout: 10_000 }).toEqual([copy]);
    expect((await api('demo', `/orders/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const path of [
      '',
      '/tasks/signer1/status',
      '/tasks/signer1/events',
      '/tasks/signer1/documents/doc1/original',
    ]) {
      expect((await api('demo', `/orders/${created.id}${path}`)).status, path).toBe(404);
    }
    expect(await objectNames(storageKeys.orderDocuments('demo-merchant', created.id))).toEqual([]);
    // The upload ends by its own expiry or DELETE (issue 28: uploads are independent of the orders that used them).
    expect((await api('demo', `/documents/${documentRef}`)).status).toBe(200);
  });

  async function objectNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const o of c.s3.listObjectsV2(c.config.s3.buckets.documents, prefix, true)) {
      if (o.name) names.push(o.name);
    }
    return names;
  }

  it("isolates merchants on every order path: another merchant's order is a 404, and stays intact", async () => {
    const { order } = await simpleOrder('demo');
    const created = (await (await createOrder('demo', order)).json()) as Order;
    const paths = ['', '/tasks/signer1/status', '/tasks/signer1/events', '/tasks/signer1/forwards'];
    for (const path of [...paths, '/tasks/signer1/documents/doc1/original']) {
      expect((await api('other', `/orders/${created.id}${path}`)).status, path).toBe(404);
    }
    expect((await api('other', `/orders/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api('demo', `/orders/${created.id}`)).status).toBe(200);
  });
});
