import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type SerializationContext } from '@temporalio/common';
import { ids } from '@esign/temporal-contracts';
import { describe, expect, it } from 'vitest';
import { PayloadEncryptionCodec } from './codec.js';
import { memoryPayloadEncryption } from './data-converter.js';
import { decodeForOperators } from './operator-decode.js';
import { CachedOrderKeys } from './order-keys.js';
import { OrderDataDeletedError } from './markers.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v);
const fromPayload = (p: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) =>
  defaultPayloadConverter.fromPayload(p);
const text = (p: { data?: Uint8Array | null; metadata?: Record<string, Uint8Array> | null }) =>
  Buffer.concat([p.data ?? new Uint8Array(), ...Object.values(p.metadata ?? {})]).toString('latin1');
const workflow = (workflowId: string): SerializationContext => ({ type: 'workflow', namespace: 'default', workflowId });
const activityOf = (workflowId: string): SerializationContext => ({
  type: 'activity',
  namespace: 'default',
  workflowId,
  isLocal: false,
});
const meta = (p: { metadata?: Record<string, Uint8Array> | null }, name: string) =>
  Buffer.from(p.metadata![name]!).toString();

describe('PayloadEncryptionCodec', () => {
  it("encrypts an order's payloads with its data key and every other payload with the current key", async () => {
    const { codec } = memoryPayloadEncryption({ keys: [k1], currentId: 'k1' });
    const value = { recipient: 'alice@example.com', message: 'Please sign' };
    const [ofTask] = await codec.encode([toPayload(value)], workflow(ids.task('orderA', 't1')));
    const [ofActivity] = await codec.encode([toPayload(value)], activityOf(ids.order('orderA')));
    const [ofOther] = await codec.encode([toPayload(value)], workflow('upload-expiry-1800s-1'));
    const [noContext] = await codec.encode([toPayload(value)]);
    for (const p of [ofTask!, ofActivity!, ofOther!, noContext!]) {
      expect(text(p)).not.toContain('alice');
      expect(text(p)).not.toContain('Please sign');
      expect(meta(p, 'encoding')).toBe('binary/encrypted');
      expect(fromPayload((await codec.decode([p]))[0]!)).toEqual(value);
    }
    expect(meta(ofTask!, 'encryption-key-id')).toBe('order/orderA');
    expect(meta(ofActivity!, 'encryption-key-id')).toBe('order/orderA');
    expect(meta(ofOther!, 'encryption-key-id')).toBe('k1');
    expect(meta(noContext!, 'encryption-key-id')).toBe('k1');
  });

  it('decodes plain payloads of earlier histories as they are', async () => {
    const { codec } = memoryPayloadEncryption({ keys: [k1], currentId: 'k1' });
    const plain = toPayload({ legacy: true });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('keeps decoding after a rotation: old payloads with the old key, new ones with the new key', async () => {
    const before = memoryPayloadEncryption({ keys: [k1], currentId: 'k1' });
    const [old] = await before.codec.encode([toPayload('old')]);
    const [oldOrder] = await before.codec.encode([toPayload('order')], workflow(ids.order('o1')));
    const after = memoryPayloadEncryption({ keys: [k1, k2], currentId: 'k2' }, before.orderKeys.records);
    const [fresh] = await after.codec.encode([toPayload('new')]);
    expect(meta(fresh!, 'encryption-key-id')).toBe('k2');
    expect((await after.codec.decode([old!, fresh!, oldOrder!])).map(fromPayload)).toEqual(['old', 'new', 'order']);
    // the order keeps its data key (wrapped by k1), also for what it writes after the rotation
    const [later] = await after.codec.encode([toPayload('later')], workflow(ids.order('o1')));
    expect(fromPayload((await before.codec.decode([later!]))[0]!)).toBe('later');
    // a key removed too early is named, not mistaken for deleted data
    const withoutK1 = memoryPayloadEncryption({ keys: [k2], currentId: 'k2' });
    await expect(withoutK1.codec.decode([old!])).rejects.toThrow('payload key k1 is not configured');
  });

  it("fails as deleted once the order's key is destroyed, for that order only", async () => {
    const { codec, orderKeys } = memoryPayloadEncryption({ keys: [k1], currentId: 'k1' });
    const [a] = await codec.encode([toPayload('a')], workflow(ids.order('orderA')));
    const [b] = await codec.encode([toPayload('b')], workflow(ids.order('orderB')));
    await orderKeys.destroy('orderA', 0);
    await expect(codec.decode([a!])).rejects.toThrow(OrderDataDeletedError);
    expect(fromPayload((await codec.decode([b!]))[0]!)).toBe('b');
    // written after the destruction: nothing of the value is kept, and it reads as deleted too
    const [late] = await codec.encode([toPayload('secret')], workflow(ids.task('orderA', 't1')));
    expect(meta(late!, 'encoding')).toBe('binary/esign-deleted');
    expect(text(late!)).not.toContain('secret');
    await expect(codec.decode([late!])).rejects.toThrow('payloads of order orderA were deleted');
  });

  it('shows operators a deleted marker from the deletion on, while workers decode until the key is gone', async () => {
    const workers = memoryPayloadEncryption({ keys: [k1], currentId: 'k1' });
    const [a] = await workers.codec.encode([toPayload({ name: 'Kari' })], workflow(ids.order('orderA')));
    const [b] = await workers.codec.encode([toPayload({ name: 'Ola' })], workflow(ids.order('orderB')));
    await workers.orderKeys.destroy('orderA', 3600);
    expect(fromPayload((await workers.codec.decode([a!]))[0]!)).toEqual({ name: 'Kari' });
    const operators = new PayloadEncryptionCodec({
      keyring: workers.keyring,
      orderKeys: workers.orderKeys,
      strict: true,
    });
    const [shown, other] = (await decodeForOperators(operators, [a!, b!])).map(fromPayload);
    expect(shown).toMatchObject({ deleted: true, orderId: 'orderA' });
    expect(JSON.stringify(shown)).not.toContain('Kari');
    expect(other).toEqual({ name: 'Ola' });
  });

  it('asks the store once per order and cache period, and forgets a key it destroys', async () => {
    let now = 0;
    const inner = memoryPayloadEncryption({ keys: [k1], currentId: 'k1' }).orderKeys;
    let asked = 0;
    const counting = {
      forEncrypt: (id: string) => (asked++, inner.forEncrypt(id)),
      forDecrypt: (id: string, o?: { strict?: boolean }) => (asked++, inner.forDecrypt(id, o)),
      destroy: (id: string, s: number) => inner.destroy(id, s),
    };
    const cached = new CachedOrderKeys(counting, { cacheSeconds: 60, now: () => now });
    const first = await cached.forEncrypt('o1');
    expect((await cached.forEncrypt('o1'))!.equals(first!)).toBe(true);
    expect(asked).toBe(1);
    now += 61_000;
    await cached.forEncrypt('o1');
    expect(asked).toBe(2);
    await cached.forDecrypt('o1', { strict: true });
    expect(asked).toBe(3);
    await cached.destroy('o1', 0);
    expect(await cached.forDecrypt('o1')).toBeNull();
  });
});
