import { describe, expect, it } from 'vitest';
import { clientPart, ids, SAFE_ID } from './index.js';
import { newId, newOrderId } from './random.js';

describe('ids', () => {
  it('derives readable workflow ids from opaque ids', () => {
    expect(ids.order('abc')).toBe('order-abc');
    expect(ids.task('abc', 't1')).toBe('order-abc-task-t1');
  });

  it('refuses anything that could carry personal data or break a workflow id', () => {
    for (const bad of ['alice@example.com', '+4791234567', 'a b', '', 'x'.repeat(129), '../etc']) {
      expect(() => ids.order(bad)).toThrow();
    }
  });

  it('maps client ids (any printable text) to safe parts, one to one, without their text', () => {
    expect(clientPart('signer-1')).toBe('signer-1'); // the ids of existing orders keep their workflow ids
    const exotic = ['task.1', 'doc 1', 'a:b@c', '签名', 'x'.repeat(255), '~', 'A', 'a'];
    const parts = exotic.map(clientPart);
    expect(new Set(parts).size).toBe(exotic.length);
    for (const [i, part] of parts.entries()) {
      if (SAFE_ID.test(exotic[i]!)) expect(part).toBe(exotic[i]);
      else expect(part).toMatch(/^~[0-9a-f]{64}$/);
    }
    expect(ids.task('abc', 'a:b@c')).toBe(`order-abc-task-${clientPart('a:b@c')}`);
    expect(ids.task('abc', 'a:b@c')).not.toContain('@');
    expect(clientPart('doc 1')).toBe(clientPart('doc 1')); // deterministic: workflows compute it on replay
    expect(() => clientPart('')).toThrow();
  });

  it('generates 128-bit ids that are unique and safe', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => newId()));
    expect(seen.size).toBe(2000);
    for (const id of seen) {
      expect(id).toHaveLength(22);
      expect(ids.isSafe(id)).toBe(true);
    }
  });
});

describe('ids.orderOf', () => {
  it('finds the order of every workflow of an order, and of no other workflow', () => {
    const orderId = newOrderId();
    const workflows = [
      ids.order(orderId),
      ids.task(orderId, 'signer-1'),
      ids.packaging(orderId, 'pkg-task-1'),
      ids.notification(orderId, { taskId: 'task-a' }, 'n-otp-1', 'CREATED-0'),
      ids.notification(orderId, {}, 'notify-2'),
      ids.redrive(ids.notification(orderId, { packagingTaskId: 'p' }, 'n1', 'COMPLETED'), 2),
      ids.oneTimeCode(orderId, 'challenge-1'),
    ];
    for (const workflowId of workflows) expect(ids.orderOf(workflowId)).toBe(orderId);
    for (const other of ['diagnostic-x', 'upload-expiry-1800s-5', 'archive-renewal-a', 'otp-legacy', 'orders-1']) {
      expect(ids.orderOf(other)).toBeUndefined();
    }
  });

  it('draws order ids without a dash, so the split after the order id is never ambiguous', () => {
    for (let i = 0; i < 500; i++) {
      const id = newOrderId();
      expect(id).not.toContain('-');
      expect(id).toHaveLength(22);
      expect(ids.orderOf(ids.task(id, 'x-task-y'))).toBe(id);
    }
  });
});
