import { createHmac } from 'node:crypto';
import type { ArchiveSource } from '@esign/temporal-contracts';
import { ids } from '@esign/temporal-contracts';
import { describe, expect, it } from 'vitest';
import { archiveIdKey, archiveIdOf } from './archive-id.js';

const SECRET = 'a-server-secret-of-some-length';
const key = archiveIdKey(SECRET);
const doc: ArchiveSource = { kind: 'document', orderId: 'o1', taskId: 't1', documentId: 'd1' };
const pkg: ArchiveSource = { kind: 'packaging', orderId: 'o1', packagingTaskId: 'p1' };

describe('archive ids', () => {
  it('are the same for the same merchant and source, so a retried archiving finds its copy', () => {
    expect(archiveIdOf(key, 'm1', doc)).toBe(archiveIdOf(archiveIdKey(SECRET), 'm1', { ...doc }));
    expect(archiveIdOf(key, 'm1', pkg)).toBe(archiveIdOf(key, 'm1', { ...pkg }));
  });

  it('are 256 bits, base64url, usable as storage key parts', () => {
    const id = archiveIdOf(key, 'm1', doc);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(ids.isSafe(id)).toBe(true);
  });

  it('differ per merchant, per source part and per kind', () => {
    const all = [
      archiveIdOf(key, 'm1', doc),
      archiveIdOf(key, 'm2', doc),
      archiveIdOf(key, 'm1', { ...doc, orderId: 'o2' }),
      archiveIdOf(key, 'm1', { ...doc, taskId: 't2' }),
      archiveIdOf(key, 'm1', { ...doc, documentId: 'd2' }),
      archiveIdOf(key, 'm1', pkg),
      archiveIdOf(key, 'm1', { ...pkg, packagingTaskId: 'p2' }),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('cannot be confused by moving characters between parts', () => {
    const a = archiveIdOf(key, 'm1', { kind: 'document', orderId: 'o1_', taskId: 't', documentId: 'd' });
    const b = archiveIdOf(key, 'm1', { kind: 'document', orderId: 'o1', taskId: '_t', documentId: 'd' });
    expect(a).not.toBe(b);
  });

  it('depend on the secret, through a key of their own (not the secret itself)', () => {
    expect(archiveIdOf(archiveIdKey('another-secret-value'), 'm1', doc)).not.toBe(archiveIdOf(key, 'm1', doc));
    expect(key.equals(Buffer.from(SECRET))).toBe(false);
    expect(key.length).toBe(32);
    // Not what an HMAC with the bare secret over the same message would give (e.g. a sign code's derivation).
    const bare = createHmac('sha256', SECRET).update(JSON.stringify(['document', 'm1', 'o1', 't1', 'd1']));
    expect(archiveIdOf(key, 'm1', doc)).not.toBe(bare.digest('base64url'));
  });

  it('match the documented scheme exactly (ids already handed out must never change)', () => {
    const expectedKey = createHmac('sha256', SECRET).update('esign/archive-id/v1').digest();
    const expected = createHmac('sha256', expectedKey)
      .update(JSON.stringify(['packaging', 'm1', 'o1', 'p1']))
      .digest('base64url');
    expect(archiveIdOf(key, 'm1', pkg)).toBe(expected);
  });

  it('refuse an empty secret', () => {
    expect(() => archiveIdKey('')).toThrow();
  });
});
