import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { signDocument, testSeal } from '../support/tasks.js';

// Issue 29, finding 8: ids a merchant chooses, named like members of Object.prototype, looked up in plain objects
// gave 500s or fake answers (a task `constructor` that every order seemed to have). Each is an ordinary id now.
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

type Created = { id: string; tasks: Array<{ id: string; status: string; signingUrl: string }> };
type Problem = { status: number; title: string };

async function expectNotFound(path: string): Promise<void> {
  const res = await api('demo', path);
  expect(res.status, path).toBe(404);
  expect(res.headers.get('content-type'), path).toContain('application/problem+json');
  expect(((await res.json()) as Problem).status, path).toBe(404);
}

describe('ids named like Object.prototype members', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('creates, reads, signs and packages an order whose tasks and documents are named so', async () => {
    const documentRef = await uploadOk('demo', 'Agreement', 'text/plain');
    const tasks = PROTOTYPE_NAMES.map((id, i) => ({
      id,
      documents: [{ id, action: 'SIGN', source: 'SESSION', documentRef, description: id }],
      signatureMethods: [{ name: 'nbid-sign' }],
      // Dependencies are looked up by task id too: each task after the first waits for `constructor`.
      ...(i > 0 ? { dependsOnTasks: ['constructor'] } : {}),
    }));
    const packagingTasks = [
      { id: 'toString', documents: [{ taskId: 'constructor', documentIds: ['constructor'] }] },
      { id: '__proto__', documents: [{ taskId: '__proto__', documentIds: ['__proto__'] }] },
    ];
    const res = await createOrder('demo', { clientReference: 'prototype ids', tasks, packagingTasks });
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as Created;
    expect(created.tasks.map((t) => [t.id, t.status])).toEqual(PROTOTYPE_NAMES.map((id) => [id, 'CREATED']));
    for (const t of created.tasks) expect(t.signingUrl).toContain(`task_id=${t.id}`);

    const read = (await (await api('demo', `/orders/${created.id}`)).json()) as Created;
    expect(read.tasks.map((t) => t.id)).toEqual(PROTOTYPE_NAMES);
    for (const id of PROTOTYPE_NAMES) {
      const status = await api('demo', `/orders/${created.id}/tasks/${id}/status`);
      expect(status.status, id).toBe(200);
      expect(await status.json()).toMatchObject({ taskId: id, taskStatus: 'CREATED', documents: [{ id }] });
      const events = await api('demo', `/orders/${created.id}/tasks/${id}/events`);
      expect(
        ((await events.json()) as Array<{ eventType: string }>).map((e) => e.eventType),
        id,
      ).toEqual(['TASK_CREATED']);
      const result = await api('demo', `/orders/${created.id}/tasks/${id}/documents/${id}/result`);
      expect(result.status, id).toBe(409);
    }

    // Signing `constructor` seals its document (a result by document id), completes the task, opens the tasks
    // that depend on it and makes the package `toString`.
    await signDocument(c.temporal, created.id, 'constructor', 'constructor', testSeal());
    const packagingStatus = async (id: string) => {
      const res = await api('demo', `/orders/${created.id}/packaging-tasks/${id}/status`);
      return ((await res.json()) as { packagingTaskStatus: string }).packagingTaskStatus;
    };
    await expect.poll(() => packagingStatus('toString'), { timeout: 30_000 }).toBe('COMPLETED');
    const done = await api('demo', `/orders/${created.id}/tasks/constructor/status`);
    expect(await done.json()).toMatchObject({ taskStatus: 'COMPLETED', documents: [{ id: 'constructor' }] });
    const signed = await api('demo', `/orders/${created.id}/tasks/constructor/documents/constructor/result`);
    expect(signed.status).toBe(200);
    expect(signed.headers.get('content-type')).toBe('application/pdf');
    expect((await api('demo', `/orders/${created.id}/packaging-tasks/toString/result`)).status).toBe(200);
    expect(await packagingStatus('__proto__')).toBe('CREATED');
    expect((await api('demo', `/orders/${created.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers 404 problem+json, never a 500 or an answer, for such ids an order lacks', async () => {
    const { order } = await simpleOrder('demo');
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as Created;
    for (const name of PROTOTYPE_NAMES) {
      const task = `/orders/${id}/tasks/${name}`;
      for (const path of [
        `/orders/${name}`,
        `/documents/${name}`,
        `${task}/status`,
        `${task}/events`,
        `${task}/forwards`,
        `${task}/documents/doc1/original`,
        `${task}/documents/doc1/result`,
        `/orders/${id}/tasks/signer1/documents/${name}/original`,
        `/orders/${id}/tasks/signer1/documents/${name}/generated`,
        `/orders/${id}/tasks/signer1/documents/${name}/result`,
        `/orders/${id}/packaging-tasks/${name}/status`,
        `/orders/${id}/packaging-tasks/${name}/result`,
      ]) {
        await expectNotFound(path);
      }
    }
    expect((await api('demo', `/orders/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses a dependency or a packaged document that names a prototype member the order lacks', async () => {
    const { order } = await simpleOrder('demo');
    const res = await createOrder('demo', {
      ...order,
      tasks: [{ ...order.tasks[0], dependsOnTasks: ['constructor'] }],
      packagingTasks: [{ id: 'p1', documents: [{ taskId: 'signer1', documentIds: ['toString'] }] }],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { violations: Array<{ propertyPath: string }> };
    expect(body.violations.map((v) => v.propertyPath).sort()).toEqual([
      'packagingTasks[0].documents[0].documentIds[0]',
      'tasks[0].dependsOnTasks[0]',
    ]);
  });
});
