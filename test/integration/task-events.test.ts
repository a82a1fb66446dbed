import { EVENT_TYPES } from '@esign/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { signerAction } from '../support/tasks.js';

type Event = { eventType: string; eventTime: string; data?: string };

/** The v1 event types (facts §3.14): what Signicat's .NET SDK parses; it refuses any other. */
const V1_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

async function events(orderId: string, taskId: string, query = ''): Promise<Event[]> {
  const res = await api('demo', `/orders/${orderId}/tasks/${taskId}/events${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Event[];
}

const pick = (list: Event[]) => list.map(({ eventType, data }) => ({ eventType, ...(data ? { data } : {}) }));

// Lifecycle events on the real stack: a rejected task's unsigned documents, the deletion of the task that depended on
// it (its own type for clients that ask, INTERNAL for v1 clients), and a signer turning back at the identity method.
describe('task lifecycle events', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  let browser: Browser;
  beforeAll(async () => {
    [c, browser] = await Promise.all([stackClients(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  it('records DOCUMENT_SIGN_CANCELLED for unsigned documents and TASK_DELETED, shown to v1 clients as INTERNAL', async () => {
    const documentRef = await uploadOk('demo', 'Please sign.', 'text/plain');
    const doc = (id: string, action: string) => ({ id, action, source: 'SESSION', documentRef });
    const signatureMethods = [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }];
    const res = await createOrder('demo', {
      tasks: [
        { id: 'first', documents: [doc('a', 'SIGN'), doc('b', 'SIGN'), doc('v', 'VIEW')], signatureMethods },
        { id: 'second', dependsOnTasks: ['first'], documents: [doc('c', 'SIGN')], signatureMethods },
      ],
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };

    // Opened first (the opening rule), recorded with the signature.
    const opened = ['a', 'b', 'v'];
    await signerAction(c.temporal, id, 'first', { type: 'SIGNED', documentId: 'a', opened });
    await signerAction(c.temporal, id, 'first', { type: 'REJECTED', reason: 'not today' });
    expect(pick(await events(id, 'first')).slice(1)).toEqual([
      ...opened.map((data) => ({ eventType: 'DOCUMENT_VIEWED', data })),
      { eventType: 'DOCUMENT_SIGNED', data: 'a' },
      { eventType: 'TASK_REJECTED', data: 'not today' },
      { eventType: 'DOCUMENT_SIGN_CANCELLED', data: 'b' },
    ]);

    await expect.poll(async () => (await events(id, 'second')).length, { timeout: 20_000 }).toBeGreaterThan(1);
    const extended = await events(id, 'second', '?eventTypes=extended');
    expect(pick(extended).slice(1)).toEqual([
      { eventType: 'TASK_DELETED' },
      { eventType: 'DOCUMENT_SIGN_CANCELLED', data: 'c' },
    ]);
    const v1 = await events(id, 'second');
    expect(pick(v1).slice(1)).toEqual([
      { eventType: 'INTERNAL', data: 'TASK_DELETED' },
      { eventType: 'DOCUMENT_SIGN_CANCELLED', data: 'c' },
    ]);
    expect(v1.map((e) => e.eventTime)).toEqual(extended.map((e) => e.eventTime));
    for (const e of v1) expect(V1_TYPES.has(e.eventType)).toBe(true);
  });

  it('records USER_AUTHENTICATION_CANCELLED when the signer cancels at the identity method', async () => {
    const documentRef = await uploadOk('demo', 'Please sign.', 'text/plain');
    const res = await createOrder('demo', {
      tasks: [
        {
          id: 'signer1',
          language: 'en',
          documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef }],
          signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        },
      ],
    });
    expect(res.status).toBe(201);
    const { id, tasks } = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(tasks[0]!.signingUrl);
      await page.locator('form[action="/std/login"] button').first().click();
      await page.locator('button[name="action"][value="cancel"]').click();
      // back at the task, still open, to choose again
      await page.waitForURL(/\/std\/task$/);
      expect(await page.locator('form[action="/std/login"] button').count()).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
    const types = pick(await events(id, 'signer1'));
    expect(types).toContainEqual({ eventType: 'USER_AUTHENTICATION_CANCELLED', data: 'nbid-sign' });
    expect(types.map((e) => e.eventType)).not.toContain('USER_AUTHENTICATED');
  });
});
