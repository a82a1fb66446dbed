import type { OrderRecord, OrderTaskRecord } from '@esign/order-store';
import { describe, expect, it } from 'vitest';
import type { TaskContext, TaskSpec } from '../task-context.js';
import { signDigests } from './login.js';

const stored = (documentId: string, sha256: string) => ({
  documentId,
  documentRef: `ref-${documentId}`,
  contentType: 'application/pdf',
  size: 10,
  sha256,
  bucket: 'b',
  objectKey: `orders/${documentId}`,
});

describe('the digests a SIGNED_STATEMENT binds', () => {
  it('are those of the documents as shown: a form the order filled in counts as its filled copy', () => {
    const filled = { objectKey: 'results/doc1.generated', size: 12, sha256: 'f'.repeat(64), values: [] };
    const ctx = {
      record: {} as OrderRecord,
      task: {
        documents: [
          { ...stored('doc1', 'a'.repeat(64)), filled },
          stored('doc2', 'b'.repeat(64)),
          stored('doc3', 'c'.repeat(64)),
        ],
      } as unknown as OrderTaskRecord,
      spec: {
        documents: [
          { id: 'doc1', action: 'SIGN' },
          { id: 'doc2', action: 'SIGN' },
          { id: 'doc3', action: 'VIEW' },
        ],
      } as unknown as TaskSpec,
      events: [],
    } satisfies TaskContext;
    expect(signDigests(ctx)).toEqual(['f'.repeat(64), 'b'.repeat(64)]);
  });
});
