import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderReader } from './reader.js';
import { CreationReservations } from './reservations.js';
import { signingUrlOf, type OrderRecord } from './record.js';
import { OrderStore } from './store.js';
import { Artifacts } from './artifacts.js';
import { storageKeys } from '@esign/storage-keys';

// A private redis-server on a unix socket (no TCP port, so nothing to collide with): the store's behaviour is its
// Redis commands, and a fake would only test the fake.
describe('OrderStore', () => {
  let dir: string;
  let server: ChildProcess;
  let redis: Redis;
  let store: OrderStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'order-store-'));
    const path = join(dir, 'redis.sock');
    server = spawn('redis-server', ['--port', '0', '--unixsocket', path, '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    redis = new Redis({ path, retryStrategy: () => 50 });
    await redis.ping();
    store = new OrderStore({ redis, keyPrefix: 'test:' });
  });
  afterAll(async () => {
    redis?.disconnect();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const record = (orderId: string): OrderRecord => ({
    orderId,
    merchantId: 'm1',
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'ACTIVE',
    order: {
      daysUntilDeletion: 30,
      tasks: [{ id: 't1', language: 'en', daysToLive: 30, documents: [], signatureMethods: [] }],
    },
    tasks: {
      t1: {
        status: 'CREATED',
        expiresAt: '2026-01-31T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        documents: [],
      },
    },
  });

  it('round-trips an order and layers status changes over it', async () => {
    await store.recordOrder(record('o1'));
    expect(await store.getOrder('m1', 'o1')).toEqual(record('o1'));
    await store.setTaskStatus('m1', 'o1', 't1', 'COMPLETED', '2026-01-02T00:00:00.000Z');
    await store.setOrderStatus('m1', 'o1', 'COMPLETED', '2026-03-02T00:00:00.000Z');
    expect(await store.getOrder('m1', 'o1')).toMatchObject({
      status: 'COMPLETED',
      deleteAt: '2026-03-02T00:00:00.000Z',
      tasks: { t1: { status: 'COMPLETED', updatedAt: '2026-01-02T00:00:00.000Z' } },
    });
    expect(await store.getOrder('m2', 'o1')).toBeNull(); // another merchant sees nothing
  });

  it('writes a new order whole with its first events, and never over an existing one', async () => {
    const event = { eventType: 'TASK_CREATED', eventTime: '2026-01-01T00:00:00.000Z' };
    const sent = {
      eventType: 'NOTIFICATION_SENT',
      eventTime: event.eventTime,
      data: 'EMAIL notification n1 (CREATED)',
    };
    const first = {
      t1: [
        { eventId: 'created', event },
        { eventId: 'notification:n1', event: sent },
      ],
    };
    expect(await store.recordOrder({ ...record('o5'), signCodes: { t1: 'code-o5-t1' } }, first)).toBe(true);
    expect(await store.getEvents('m1', 'o5', 't1')).toEqual([event, sent]);
    // The delivery's own record of the same notification, under the same id, is not a second event.
    await store.appendEvent('m1', 'o5', 't1', 'notification:n1', { ...sent, eventTime: '2026-01-01T00:00:01.000Z' });
    expect(await store.resolveSignCode('code-o5-t1')).toEqual({ merchantId: 'm1', orderId: 'o5', taskId: 't1' });
    await store.setTaskStatus('m1', 'o5', 't1', 'COMPLETED', '2026-01-02T00:00:00.000Z');
    // A repeated creation (retry, replayed Idempotency-Key) changes nothing: no status reset, no second event.
    expect(await store.recordOrder(record('o5'), first)).toBe(false);
    expect((await store.getOrder('m1', 'o5'))?.tasks.t1?.status).toBe('COMPLETED');
    expect(await store.getEvents('m1', 'o5', 't1')).toEqual([event, sent]);
  });

  it('keeps tasks and results named like Object.prototype members as own keys, and invents none', async () => {
    const names = ['constructor', '__proto__', 'toString'];
    const task = record('o6').tasks.t1!;
    await store.recordOrder({
      ...record('o6'),
      order: { ...record('o6').order, tasks: names.map((id) => ({ ...record('o6').order.tasks[0]!, id })) },
      signCodes: Object.fromEntries(names.map((n) => [n, `code-o6-${n}`])),
      tasks: Object.fromEntries(names.map((n) => [n, task])),
    });
    const result = { objectKey: 'k', sha256: 's', size: 1, contentType: 'application/pdf', at: 'x' };
    await store.setDocumentResult('m1', 'o6', '__proto__', 'constructor', result);
    const read = (await store.getOrder('m1', 'o6'))!;
    expect(Object.keys(read.tasks)).toEqual(names);
    expect(Object.getPrototypeOf(read.tasks)).toBe(Object.prototype);
    expect(Object.keys(read.tasks.__proto__!.results!)).toEqual(['constructor']);
    expect(await store.getEvents('m1', 'o6', 'toString')).toEqual([]);
    expect(signingUrlOf(read, '__proto__', 'https://sign.example')).toContain('code-o6-__proto__');
    expect(signingUrlOf(read, 'valueOf', 'https://sign.example')).toBe('');

    await store.recordOrder(record('o7'));
    for (const name of [...names, 'hasOwnProperty', 'valueOf']) {
      expect(await store.getEvents('m1', 'o7', name), name).toBeNull();
    }
  });

  it('keeps a creation’s reservation apart from the read model; reads fall back to it until the order is recorded', async () => {
    const reservations = new CreationReservations({ redis, keyPrefix: 'test:' });
    const reader = new OrderReader(store, reservations);
    await redis.set('test:m:m1:upload:u1', '{}');
    const reserved = { ...record('r1'), signCodes: { t1: 'code-r1-t1' } };
    expect(await reservations.reserve(reserved, ['u1', 'u1'], 60_000)).toEqual({ missing: [] });
    expect(await store.getOrder('m1', 'r1')).toBeNull(); // the read model is the order activities' alone
    expect(await reader.order('m1', 'r1')).toEqual(reserved);
    expect(await reader.order('m2', 'r1')).toBeNull();
    expect(await reader.events('m1', 'r1', 't1')).toEqual([
      { eventType: 'TASK_CREATED', eventTime: reserved.createdAt },
    ]);
    expect(await reader.events('m1', 'r1', 'constructor')).toBeNull();
    expect(await reader.signCode('code-r1-t1')).toEqual({ merchantId: 'm1', orderId: 'r1', taskId: 't1' });
    const until = Number(await redis.zscore('test:m:m1:upload:u1:reservations', 'r1'));
    expect(until).toBeGreaterThan(Date.now());
    expect(await redis.pttl('test:m:m1:creation:r1')).toBeGreaterThan(50_000);

    // Recorded by the order's activity, which then consumes the reservations: the read model answers from then on,
    // and once the order is deleted nothing brings it back.
    await store.recordOrder({ ...reserved, status: 'COMPLETED' });
    expect((await reader.order('m1', 'r1'))?.status).toBe('COMPLETED');
    await reservations.confirm(reserved, ['u1']);
    expect(await redis.exists('test:m:m1:creation:r1', 'test:creation-signcode:code-r1-t1')).toBe(0);
    expect(await redis.zscore('test:m:m1:upload:u1:reservations', 'r1')).toBeNull();
    expect(await reader.signCode('code-r1-t1')).toEqual({ merchantId: 'm1', orderId: 'r1', taskId: 't1' });
    await store.deleteOrder('m1', 'r1', ['t1']);
    expect(await reader.order('m1', 'r1')).toBeNull();
    expect(await reader.events('m1', 'r1', 't1')).toBeNull();
    expect(await reader.signCode('code-r1-t1')).toBeNull();

    // All or none: a missing upload reserves nothing and keeps no record.
    expect(await reservations.reserve(record('r2'), ['u1', 'gone'], 60_000)).toEqual({ missing: ['gone'] });
    expect(await reader.order('m1', 'r2')).toBeNull();
    expect(await redis.zscore('test:m:m1:upload:u1:reservations', 'r2')).toBeNull();
  });

  it('appends each event once, however often it is retried', async () => {
    await store.recordOrder(record('o2'));
    const event = { eventType: 'TASK_CREATED', eventTime: '2026-01-01T00:00:00.000Z' };
    await store.appendEvent('m1', 'o2', 't1', 'created', event);
    await store.appendEvent('m1', 'o2', 't1', 'created', event);
    await store.appendEvent('m1', 'o2', 't1', 'task-1', { ...event, eventType: 'TASK_STARTED' });
    expect((await store.getEvents('m1', 'o2', 't1'))!.map((e) => e.eventType)).toEqual([
      'TASK_CREATED',
      'TASK_STARTED',
    ]);
    expect(await store.getEvents('m1', 'o2', 'nope')).toBeNull();
  });

  it('deletes every key of an order, sign codes included', async () => {
    await store.recordOrder({ ...record('o3'), signCodes: { t1: 'code-o3-t1' } });
    await store.appendEvent('m1', 'o3', 't1', 'created', { eventType: 'TASK_CREATED', eventTime: 'x' });
    expect(await store.resolveSignCode('code-o3-t1')).toEqual({ merchantId: 'm1', orderId: 'o3', taskId: 't1' });
    await store.deleteOrder('m1', 'o3', ['t1']);
    expect(await store.getOrder('m1', 'o3')).toBeNull();
    expect(await store.resolveSignCode('code-o3-t1')).toBeNull();
    expect(await redis.keys('test:*o3*')).toEqual([]);
  });

  it('records no event for an order that does not exist (any more)', async () => {
    await store.appendEvent('m1', 'gone', 't1', 'late', { eventType: 'NOTIFICATION_SENT', eventTime: 'x' });
    expect(await redis.keys('test:*gone*')).toEqual([]);
  });

  it('resolves only well-formed, known sign codes', async () => {
    expect(await store.resolveSignCode('unknown-code')).toBeNull();
    expect(await store.resolveSignCode('../etc/passwd')).toBeNull();
  });

  it('records a forward once: its details, the new sign code, the old one marked forwarded; deletion removes all', async () => {
    const task = { id: 'a:b@c', language: 'en' as const, daysToLive: 30, documents: [], signatureMethods: [] };
    const base = record('o-fwd');
    const order: OrderRecord = {
      ...base,
      order: { ...base.order, tasks: [task] },
      signCodes: { 'a:b@c': 'code-0' },
      tasks: { 'a:b@c': base.tasks.t1! },
    };
    await store.recordOrder(order);
    const target = { merchantId: 'm1', orderId: 'o-fwd', taskId: 'a:b@c' };
    const first = { forwarderName: 'Ola', recipientName: 'Kari', recipientEmail: 'kari@example.com', at: 't1' };
    expect(await store.recordForward(target, 1, first, { previous: 'code-0', next: 'code-1' })).toBe(true);
    // A retry changes nothing, even with other details.
    const retried = { ...first, recipientName: 'Someone else' };
    expect(await store.recordForward(target, 1, retried, { previous: 'code-0', next: 'code-1' })).toBe(true);
    const second = { forwarderName: 'Kari', recipientName: 'Per', recipientMobile: '+4791234567', at: 't2' };
    await store.recordForward(target, 2, second, { previous: 'code-1', next: 'code-2' });

    const read = (await store.getOrder('m1', 'o-fwd'))!;
    expect(read.tasks['a:b@c']!.forwards).toEqual([first, second]);
    expect(read.signCodes).toEqual({ 'a:b@c': 'code-2' });
    expect(signingUrlOf(read, 'a:b@c', 'https://sign.example')).toContain('sign_code=code-2');
    expect(await store.resolveSignCode('code-0')).toEqual({ ...target, forwarded: true });
    expect(await store.resolveSignCode('code-1')).toEqual({ ...target, forwarded: true });
    expect(await store.resolveSignCode('code-2')).toEqual(target);
    expect(await store.issuedSignCode('m1', 'o-fwd', 'a:b@c', 0)).toBe('code-0');
    expect(await store.issuedSignCode('m1', 'o-fwd', 'a:b@c', 1)).toBe('code-1');

    const codeKeys = ['code-0', 'code-1', 'code-2'].map((c) => `test:${storageKeys.signCode(c)}`);
    expect(await redis.exists(...codeKeys)).toBe(3);
    await store.deleteOrder('m1', 'o-fwd', ['a:b@c']);
    expect(await redis.exists(...codeKeys)).toBe(0);
    expect(await redis.keys('test:*o-fwd*')).toEqual([]);
    // Only while the order exists: a late forward leaves nothing behind.
    expect(await store.recordForward(target, 3, second, { previous: 'code-2', next: 'code-3' })).toBe(false);
    expect(await redis.exists(`test:${storageKeys.signCode('code-3')}`)).toBe(0);
  });

  it('redeems an artifact once, within its lifetime, for the task it was issued for', async () => {
    const short = new Artifacts({ redis, keyPrefix: 'test:', lifetimeSeconds: 1 });
    const target = { merchantId: 'm1', orderId: 'o-art', taskId: 't1' };
    const token = await short.issue(target);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only its hash is a key: the token itself is nowhere in Redis.
    expect(await redis.keys(`*${token}*`)).toEqual([]);
    expect(await short.redeem(token)).toEqual(target);
    expect(await short.redeem(token)).toBe(null);
    const late = await short.issue(target);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await short.redeem(late)).toBe(null);
    expect(await short.redeem('not a token')).toBe(null);
  });
});
