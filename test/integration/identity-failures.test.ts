import { freePort, startServices } from '@esign/devstack';
import { describe, expect, inject, it } from 'vitest';
import { extraLogDir } from '../support/extra-logs.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import { portalSession, postForm } from '../support/portal.js';

const stack = inject('stack');

/** A one-signer order signing with `nbid-sign`: its id and signing link. */
async function signingOrder() {
  const { order } = await simpleOrder('demo');
  Object.assign(order.tasks[0] as Record<string, unknown>, { signatureMethods: [{ name: 'nbid-sign' }] });
  const res = await createOrder('demo', order);
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { id: string; tasks: Array<{ id: string; signingUrl: string }> };
  return { id: body.id, taskId: body.tasks[0]!.id, link: body.tasks[0]!.signingUrl };
}

/** The task's status and event types, as the merchant reads them. */
async function taskState(orderId: string, taskId: string) {
  const status = (await (await api('demo', `/orders/${orderId}/tasks/${taskId}/status`)).json()) as Record<
    string,
    string
  >;
  const events = (await (await api('demo', `/orders/${orderId}/tasks/${taskId}/events`)).json()) as Array<{
    eventType: string;
  }>;
  return { status: status.taskStatus, events: events.map((e) => e.eventType) };
}

// What the signer meets when the identity provider fails: a page that says so and leads back, the task still open,
// nothing recorded as authenticated or signed.
describe('identity provider failures in the signing portal', () => {
  it('a provider that cannot be reached: a clear page (502), the task open, nothing recorded', async () => {
    const { id, taskId, link } = await signingOrder();
    // A second portal whose nbid-sign provider is at a port nothing listens on (sign codes live in Redis: the same
    // link opens the task there).
    const [port, operatorPort, dead] = [await freePort(), await freePort(), await freePort()];
    const providers = JSON.parse(stack.env.IDENTITY_PROVIDERS!) as { methods: Record<string, { issuer?: string }> };
    providers.methods['nbid-sign']!.issuer = `http://127.0.0.1:${dead}/nowhere`;
    const env = {
      ...stack.env,
      PORTAL_PORT: String(port),
      PORTAL_OPERATOR_PORT: String(operatorPort),
      SIGNING_PORTAL_URL: `http://127.0.0.1:${port}`,
      IDENTITY_PROVIDERS: JSON.stringify(providers),
    } as Record<string, string>;
    const [portal] = await startServices({
      names: ['signing-portal'],
      env,
      logDir: extraLogDir('signing-portal'),
      waitFor: 'ready',
    });
    try {
      const there = link.replace(new URL(link).origin, `http://127.0.0.1:${port}`);
      const { origin, cookie, csrf } = await portalSession(there);
      const res = await postForm(origin, '/std/login', cookie, { csrf, method: 'nbid-sign' });
      expect(res.status).toBe(502);
      const html = await res.text();
      expect(html).toContain('Something went wrong');
      expect(html).toContain('href="/std/task"');
      expect(await taskState(id, taskId)).toEqual({ status: 'CREATED', events: ['TASK_CREATED', 'TASK_STARTED'] });
    } finally {
      await portal!.process.stop();
    }
  });

  it('a provider answering with an error: a clear page, nothing recorded as authenticated or signed', async () => {
    const { id, taskId, link } = await signingOrder();
    const { origin, cookie, csrf } = await portalSession(link);
    const login = await postForm(origin, '/std/login', cookie, { csrf, method: 'nbid-sign' });
    expect(login.status).toBe(303);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const query = new URLSearchParams({ error: 'server_error', error_description: 'temporarily unavailable', state });
    const back = await fetch(`${origin}/std/callback?${query.toString()}`, { headers: { cookie } });
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('Something went wrong');
    expect(await taskState(id, taskId)).toEqual({ status: 'CREATED', events: ['TASK_CREATED', 'TASK_STARTED'] });
    // The task page still offers the identity method: the signer can try again.
    const page = await (await fetch(`${origin}/std/task`, { headers: { cookie } })).text();
    expect(page).toContain('value="nbid-sign"');
  });
});
