import { CreationReservations, OrderReader } from '@esign/order-store';
import { newId } from '@esign/temporal-contracts/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl, stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { MERCHANTS } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

const BASE64URL_128 = /^[A-Za-z0-9_-]{21}[AQgw]$/; // 16 bytes: the last of 22 characters carries 2 bits
const BASE64URL_256 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/; // 32 bytes: the last of 43 characters carries 4 bits

/** Fraction of one bits over all the values' bytes: random data has 0.5, give or take sqrt(0.25 / bits). */
function onesFraction(values: Buffer[]): { fraction: number; bits: number } {
  let ones = 0;
  let bits = 0;
  for (const b of values) {
    for (const byte of b) {
      for (let i = 0; i < 8; i++) ones += (byte >> i) & 1;
      bits += 8;
    }
  }
  return { fraction: ones / bits, bits };
}

/** Random values: distinct, of the right size, balanced bits (within 6 standard deviations), no shared prefixes. */
function expectRandom(values: string[], bytes: number) {
  expect(new Set(values).size).toBe(values.length);
  const decoded = values.map((v) => Buffer.from(v, 'base64url'));
  for (const d of decoded) expect(d.length).toBe(bytes);
  const { fraction, bits } = onesFraction(decoded);
  expect(Math.abs(fraction - 0.5)).toBeLessThan(6 * Math.sqrt(0.25 / bits));
  // Not sequential or counter-like: no two values share a prefix that random ones would share with odds below
  // one in a million (k base64url characters: n² / 2 pairs, each alike with odds 64^-k).
  const k = Math.ceil(Math.log((values.length ** 2 / 2) * 1e6) / Math.log(64));
  const sorted = [...values].sort();
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.slice(0, k)).not.toBe(sorted[i - 1]!.slice(0, k));
}

// The entropy of every id, code and secret a client or signer sees: 128 or 256 random bits, never sequential.
describe('security', () => {
  let c: Clients;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  describe('entropy of ids, codes and session secrets', () => {
    it('the id generator: 10,000 ids of 128 random bits, all distinct', () => {
      const ids = Array.from({ length: 10_000 }, () => newId());
      for (const id of ids.slice(0, 100)) expect(id).toMatch(BASE64URL_128);
      expectRandom(ids, 16);
    });

    it('document and order ids served by the API: 128 random bits each, never sequential', async () => {
      const documentIds: string[] = [];
      for (let i = 0; i < 60; i++) documentIds.push(await uploadOk('other', `entropy ${i}`, 'text/plain'));
      for (const id of documentIds) expect(id).toMatch(BASE64URL_128);
      expectRandom(documentIds, 16);

      const orderIds: string[] = [];
      for (let i = 0; i < 12; i++) {
        const { order } = await simpleOrder('other');
        const res = await createOrder('other', order);
        expect(res.status).toBe(201);
        orderIds.push(((await res.json()) as { id: string }).id);
      }
      for (const id of orderIds) expect(id).toMatch(BASE64URL_128);
      expectRandom(orderIds, 16);
    });

    it('sign codes: 256 bits each, one per task, unrelated across tasks of one order', async () => {
      const reservations = new CreationReservations({ redis: c.redis, keyPrefix: c.config.redis.keyPrefix });
      const documentRef = await uploadOk('other', 'entropy', 'text/plain');
      const codes: string[] = [];
      for (let n = 0; n < 3; n++) {
        const tasks = Array.from({ length: 10 }, (_, i) => ({
          id: `signer${i}`,
          documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef }],
          signatureMethods: [{ name: 'nbid-sign' }],
        }));
        const res = await createOrder('other', { tasks });
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: string };
        // Read as clients and signers read (the read model, or the creation's reservation right after the 201).
        const record = await new OrderReader(c.orders, reservations).order(MERCHANTS.other.merchantId, id);
        const signCodes = Object.values(record?.signCodes ?? {});
        expect(signCodes).toHaveLength(10);
        codes.push(...signCodes);
        // Each resolves to its own order and task, and nothing else does.
        const resolved = await new OrderReader(c.orders, reservations).signCode(signCodes[0]!);
        expect(resolved).toMatchObject({ orderId: id, merchantId: MERCHANTS.other.merchantId });
      }
      for (const code of codes) expect(code).toMatch(BASE64URL_256);
      expectRandom(codes, 32);
      expect(await c.orders.resolveSignCode(Buffer.alloc(32).toString('base64url'))).toBeNull();
    });

    it('trace ids: 128 random bits per request', async () => {
      const traceIds: string[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await fetch(gatewayUrl('/enterprise/sign/orders/x'));
        traceIds.push(res.headers.get('x-trace-id')!);
      }
      for (const t of traceIds) expect(t).toMatch(/^[0-9a-f]{32}$/);
      expectRandom(
        traceIds.map((t) => Buffer.from(t, 'hex').toString('base64url')),
        16,
      );
    });

    it('portal sessions and CSRF tokens: unguessable, one per browser, a planted session id is never adopted', async () => {
      // Two links, 15 opens each: one link opens at most PORTAL_LINK_OPENS_PER_MINUTE (30) times a minute.
      const links: string[] = [];
      for (let i = 0; i < 2; i++) {
        const { order } = await simpleOrder('other');
        const res = await createOrder('other', order);
        links.push(((await res.json()) as { tasks: Array<{ signingUrl: string }> }).tasks[0]!.signingUrl);
      }
      const link = links[0]!;
      const portal = new URL(link).origin;
      const sessions: string[] = [];
      const csrfTokens: string[] = [];
      for (let i = 0; i < 30; i++) {
        const opened = await fetch(links[i % 2]!, { redirect: 'manual' });
        expect(opened.status).toBe(303);
        const session = /esign_portal=([^;]+)/.exec(opened.headers.get('set-cookie') ?? '')![1]!;
        sessions.push(session);
        const page = await (
          await fetch(`${portal}/std/task`, { headers: { cookie: `esign_portal=${session}` } })
        ).text();
        csrfTokens.push(/<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!);
      }
      for (const s of [...sessions, ...csrfTokens])
        expect(Buffer.from(s, 'base64url').length).toBeGreaterThanOrEqual(16);
      expectRandom(sessions, Buffer.from(sessions[0]!, 'base64url').length);
      expectRandom(csrfTokens, Buffer.from(csrfTokens[0]!, 'base64url').length);

      // Session fixation from outside: a cookie the attacker chose is not a session, and opening the link with it
      // gives the browser a fresh one.
      const planted = 'A'.repeat(43);
      const withPlanted = await fetch(`${portal}/std/task`, { headers: { cookie: `esign_portal=${planted}` } });
      expect(withPlanted.status).toBe(401);
      const reopened = await fetch(link, { redirect: 'manual', headers: { cookie: `esign_portal=${planted}` } });
      const issued = /esign_portal=([^;]+)/.exec(reopened.headers.get('set-cookie') ?? '')![1]!;
      expect(issued).not.toBe(planted);
      expect(sessions).not.toContain(issued);
    });
  });
});
