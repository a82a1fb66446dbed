import { createPayloadEncryption, OrderDataDeletedError } from '@esign/payload-codec';
import { storageKeys } from '@esign/storage-keys';
import { ids, ORDER_MESSAGES } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { uniqueAddress } from '../support/inbox.js';
import { accessToken, api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';
import {
  codecDecode,
  eventsAsText,
  metadataOf,
  operatorToken,
  payloadsIn,
  rawHistory,
  temporalShow,
  workflowsOfOrder,
} from '../support/payloads.js';
import { signerAction, testSeal } from '../support/tasks.js';

const stack = inject('stack');

interface Created {
  id: string;
  tasks: Array<{ id: string; signingUrl: string }>;
}

// Every Temporal payload is encrypted (AES-256-GCM, an order's payloads with the order's data key): Temporal's own
// API, its database and its UI without the codec server hold no personal data of a signer in clear. Operators read
// payloads through the codec server; an order's deletion destroys its key (docs/operations.md, "Payload encryption").
describe('Temporal payload encryption', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  /** An order full of personal data: a national id, an e-mail and an SMS notification, a signer's evidence. */
  async function personalOrder() {
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const pii = {
      email: uniqueAddress('kari'),
      phone: `+4791${String(Date.now()).slice(-6)}`,
      nationalId: `0101${String(Date.now()).slice(-7)}`,
      signerName: `Kari Nordmann-${stamp}`,
      senderName: `Acme Signing ${stamp}`,
      header: `Contract for Kari ${stamp}`,
      message: `Dear Kari ${stamp}, please sign at \${taskUrl}`,
      sms: `Kari ${stamp}: sign at \${taskUrl}`,
    };
    const { order } = await simpleOrder('demo', { clientReference: `ref-${stamp}` });
    Object.assign(order.tasks[0]!, {
      subject: { attributes: [{ name: 'national-id', value: pii.nationalId }] },
      notifications: [
        {
          id: 'mail',
          type: 'EMAIL',
          recipient: pii.email,
          sender: `${pii.senderName} <noreply@acme.example>`,
          header: pii.header,
          message: pii.message,
        },
        { id: 'sms', type: 'SMS', recipient: pii.phone, sender: 'AcmeSign', message: pii.sms },
      ],
    });
    const res = await createOrder('demo', order);
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as Created;
    return { created, pii, clientReference: `ref-${stamp}` };
  }

  const orderStatus = async (id: string) => ((await (await api('demo', `/orders/${id}`)).json()) as Created).tasks;

  it("keeps every personal datum of an order out of its workflows' raw histories and search attributes", async () => {
    const { created, pii } = await personalOrder();
    await signerAction(c.temporal, created.id, 'signer1', {
      type: 'SIGNED',
      documentId: 'doc1',
      opened: ['doc1'],
      seal: testSeal(pii.signerName, pii.nationalId),
    });
    await expect
      .poll(async () => (await orderStatus(created.id))[0], { timeout: 60_000 })
      .toMatchObject({ status: 'COMPLETED' });
    // Both notifications were delivered (their workflows ran with the recipients in their inputs).
    const notifications = async () =>
      (await workflowsOfOrder(c.temporal, created.id)).filter((id) => id.includes('-notify-')).length;
    await expect.poll(notifications, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const workflowIds = await workflowsOfOrder(c.temporal, created.id);
    expect(workflowIds).toEqual(expect.arrayContaining([ids.order(created.id), ids.task(created.id, 'signer1')]));

    const signingUrl = created.tasks[0]!.signingUrl;
    const signCode = new URL(signingUrl).searchParams.get('sign_code')!;
    const needles = { ...pii, message: pii.message.split(',')[0]!, sms: pii.sms.split(':')[0]!, signingUrl, signCode };
    let encrypted = 0;
    for (const workflowId of workflowIds) {
      const events = await rawHistory(c.temporal, workflowId);
      expect(events.length).toBeGreaterThan(2);
      const text = eventsAsText(events);
      for (const [what, value] of Object.entries(needles)) {
        expect(text.includes(value), `${what} in clear in ${workflowId}`).toBe(false);
      }
      for (const payload of payloadsIn(events)) {
        expect(metadataOf(payload, 'encoding'), `a payload of ${workflowId}`).toBe('binary/encrypted');
        expect(metadataOf(payload, 'encryption-key-id')).toBe(`order/${created.id}`);
        encrypted++;
      }
      const { searchAttributes } = await c.temporal.workflow.getHandle(workflowId).describe();
      const attributes = JSON.stringify(searchAttributes);
      for (const [what, value] of Object.entries(needles)) {
        expect(attributes.includes(value), `${what} in a search attribute of ${workflowId}`).toBe(false);
      }
    }
    expect(encrypted).toBeGreaterThan(10);
    // Decoded, too: no workflow or activity payload holds the signer's link or sign code (ids suffice; the
    // notification worker reads the link from the order when it sends). The messages themselves were sent with it.
    const operator = await operatorToken();
    for (const workflowId of workflowIds) {
      const decoded = await codecDecode(payloadsIn(await rawHistory(c.temporal, workflowId)), operator);
      expect(decoded.status).toBe(200);
      const text = JSON.stringify(decoded.payloads);
      expect(text).toContain(created.id);
      expect(text.includes(signCode), `the sign code in a decoded payload of ${workflowId}`).toBe(false);
    }
    // The services' own client (the same codec) reads them: the order's answer is all there.
    const { tasks } = await c.temporal.workflow
      .getHandle(ids.order(created.id))
      .query<{ tasks: object }>(ORDER_MESSAGES.STATE);
    expect(tasks).toHaveProperty('signer1');
  });

  it('decodes payloads for operators only, in the codec server and in the temporal CLI', async () => {
    const { created, clientReference, pii } = await personalOrder();
    const [started] = await rawHistory(c.temporal, ids.order(created.id));
    const input = started!.workflowExecutionStartedEventAttributes!.input!.payloads!;

    expect((await codecDecode(input)).status).toBe(401);
    expect((await codecDecode(input, 'not-a-token')).status).toBe(401);
    // A merchant's token is for the Sign API, not for the operators' audience.
    expect((await codecDecode(input, await accessToken('demo'))).status).toBe(401);

    const token = await operatorToken();
    const decoded = await codecDecode(input, token);
    expect(decoded.status).toBe(200);
    expect(decoded.payloads[0]).toMatchObject({
      encoding: 'json/plain',
      json: { orderId: created.id, clientReference },
    });

    const address = stack.env.TEMPORAL_ADDRESS!;
    // (The client reference is in clear there: a search attribute, the merchant's own reference.)
    expect(await temporalShow(address, ids.order(created.id))).not.toContain(pii.header);
    expect(await temporalShow(address, ids.order(created.id), `Bearer ${token}`)).toContain(pii.header);
    await expect(temporalShow(address, ids.order(created.id), `Bearer ${await accessToken('demo')}`)).rejects.toThrow();
    expect((await api('demo', `/orders/${created.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it("shreds a deleted order's payloads, and no other order's", async () => {
    const deleted = (await personalOrder()).created;
    const kept = await personalOrder();
    expect((await api('demo', `/orders/${deleted.id}`, { method: 'DELETE' })).status).toBe(204);
    await c.temporal.workflow.getHandle(ids.order(deleted.id)).result();

    // Marked deleted at once; the key itself outlives the deletion by the configured delay, then it is gone.
    const keyPrefix = c.config.redis.keyPrefix;
    expect(await c.redis.exists(keyPrefix + storageKeys.payloadKeyDeleted(deleted.id))).toBe(1);
    const ttl = await c.redis.ttl(keyPrefix + storageKeys.payloadKey(deleted.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(c.config.payloads.orderKeyDeleteDelaySeconds);

    const token = await operatorToken();
    const payloadsOf = async (orderId: string) => {
      const all = [];
      for (const workflowId of await workflowsOfOrder(c.temporal, orderId)) {
        all.push(...payloadsIn(await rawHistory(c.temporal, workflowId)));
      }
      return all.filter((p) => metadataOf(p, 'encoding') === 'binary/encrypted');
    };
    const gone = await payloadsOf(deleted.id);
    expect(gone.length).toBeGreaterThan(3);
    const shown = await codecDecode(gone, token);
    expect(shown.status).toBe(200);
    for (const p of shown.payloads) expect(p.json).toMatchObject({ deleted: true, orderId: deleted.id });
    // Any reader with the configuration's keys but not the order's: "deleted", never the data.
    const strict = createPayloadEncryption(c.config.payloads, { redis: c.redis, keyPrefix, strict: true });
    await expect(strict.codec.decode(gone.slice(0, 1))).rejects.toBeInstanceOf(OrderDataDeletedError);
    // Once the key is destroyed (here without waiting for the delay), nobody reads them: not even a worker.
    await strict.orderKeys.destroy(deleted.id, 0);
    const worker = createPayloadEncryption(c.config.payloads, { redis: c.redis, keyPrefix });
    await expect(worker.codec.decode(gone.slice(0, 1))).rejects.toBeInstanceOf(OrderDataDeletedError);

    const other = await codecDecode(await payloadsOf(kept.created.id), token);
    expect(other.payloads.length).toBeGreaterThan(3);
    for (const p of other.payloads) expect(p.json ?? {}).not.toHaveProperty('deleted');
    expect(other.payloads[0]!.json).toMatchObject({ orderId: kept.created.id, clientReference: kept.clientReference });
    expect((await api('demo', `/orders/${kept.created.id}`, { method: 'DELETE' })).status).toBe(204);
  });
});
