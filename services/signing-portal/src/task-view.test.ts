import type { SigningConfiguration } from '@esign/config';
import type { Task } from '@esign/contracts';
import type { OrderRecord } from '@esign/order-store';
import { describe, expect, it } from 'vitest';
import type { PortalSession } from './session.js';
import type { TaskContext } from './task-context.js';
import { signProblem, taskPage, type SignForm } from './task-view.js';

const branding = { allowReject: true, allowPostpone: false } as SigningConfiguration;
const labelOf = (method: string) => ({ name: method, label: method === 'nbid-sign' ? 'BankID (signing)' : 'Other' });

function context(documents: Task['documents'], extra: Partial<Task> = {}, results: string[] = []): TaskContext {
  const spec = {
    id: 't1',
    language: 'en',
    daysToLive: 30,
    documents,
    signatureMethods: [{ name: 'nbid-sign', handwritten: false }],
    ...extra,
  } as Task;
  const task = {
    status: 'CREATED' as const,
    expiresAt: '2027-01-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    documents: documents
      .filter((d) => d.source === 'SESSION')
      .map((d) => ({
        documentId: d.id,
        documentRef: 'u1',
        contentType: 'application/pdf',
        size: 1,
        sha256: 'x',
        bucket: 'b',
        objectKey: 'k',
      })),
    results: Object.fromEntries(
      results.map((id) => [id, { objectKey: 'r', contentType: 'application/pdf', sha256: 's', size: 1, at: 'now' }]),
    ),
  };
  const record = { orderId: 'o1', merchantId: 'm1', tasks: { t1: task } } as unknown as OrderRecord;
  return { record, task, spec, events: [] };
}

const session = (extra: Partial<PortalSession> = {}): PortalSession => ({
  id: 's',
  merchantId: 'm1',
  orderId: 'o1',
  taskId: 't1',
  csrf: 'c',
  viewed: [],
  ...extra,
});
const identified = (viewed: string[] = []) =>
  session({ viewed, identity: { name: 'Kari', method: 'nbid-sign', at: 'now', claims: {} } });
const form = (extra: Partial<SignForm> = {}): SignForm => ({
  consent: true,
  typed: false,
  typedName: '',
  badImage: false,
  ...extra,
});

const doc = (id: string, action: 'SIGN' | 'VIEW' | 'UPLOAD') =>
  ({
    id,
    action,
    source: action === 'UPLOAD' ? 'UPLOAD' : 'SESSION',
    sendResultToArchive: false,
  }) as Task['documents'][number];

describe('the task page', () => {
  it('offers documents, uploads and rejection only to an identified signer; identification otherwise', () => {
    const ctx = context([doc('a', 'SIGN'), doc('b', 'UPLOAD')]);
    const before = taskPage(ctx, session(), branding, labelOf);
    expect(before.documents.map((d) => [d.id, d.canOpen, d.canUpload])).toEqual([
      ['a', false, false],
      ['b', false, false],
    ]);
    expect(before.methods).toEqual([{ name: 'nbid-sign', label: 'BankID (signing)' }]);
    expect(before.reject).toBe(false);
    expect(before.sign).toBeUndefined();
    const after = taskPage(ctx, identified(), branding, labelOf);
    expect(after.documents.map((d) => [d.id, d.canOpen, d.canUpload])).toEqual([
      ['a', true, false],
      ['b', false, true],
    ]);
    expect(after.methods).toEqual([]);
    expect(after.identified?.method).toBe('BankID (signing)');
    expect(after.reject).toBe(true);
    expect(after.sign).toEqual({ handwritten: false, forms: [] });
  });

  it('opens a task that only shows documents and names no authentication without a log-in', () => {
    const ctx = context([doc('v', 'VIEW')]);
    const page = taskPage(ctx, session(), branding, labelOf);
    expect(page.methods).toEqual([]);
    expect(page.documents.map((d) => d.canOpen)).toEqual([true]);
    expect(page.sign).toEqual({ handwritten: false, forms: [] });
    expect(page.reject).toBe(true);
    // A document to sign, or authentication methods named, and the log-in is asked for first.
    for (const asks of [
      context([doc('v', 'VIEW'), doc('s', 'SIGN')]),
      context([doc('v', 'VIEW')], { authentication: { methods: ['nbid-sign'], artifact: false } }),
    ]) {
      const before = taskPage(asks, session(), branding, labelOf);
      expect(before.methods).toEqual([{ name: 'nbid-sign', label: 'BankID (signing)' }]);
      expect(before.sign).toBeUndefined();
      expect(before.documents.every((d) => !d.canOpen)).toBe(true);
    }
  });

  it('marks a document done as its action asks: read once opened, signed or uploaded once it has a result', () => {
    const ctx = context([doc('a', 'SIGN'), doc('v', 'VIEW'), doc('u', 'UPLOAD')], {}, ['u']);
    expect(taskPage(ctx, identified(['v']), branding, labelOf).documents.map((d) => d.done)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('counts a document as opened once opened, in this session or recorded before, whatever its action', () => {
    const ctx = context([doc('a', 'SIGN'), doc('v', 'VIEW'), doc('w', 'VIEW')]);
    ctx.events.push({ eventType: 'DOCUMENT_VIEWED', eventTime: 'then', data: 'w' });
    const rows = taskPage(ctx, identified(['a']), branding, labelOf).documents;
    expect(rows.map((d) => [d.id, d.opened, d.done])).toEqual([
      ['a', true, false],
      ['v', false, false],
      ['w', true, true],
    ]);
  });

  it('keeps what a refused Sign sent, and the problem', () => {
    const ctx = context([doc('a', 'SIGN')]);
    const page = taskPage(ctx, identified(), branding, labelOf, {
      kept: { consent: true, typedName: 'Kari' },
      problem: { kind: 'signature' },
    });
    expect(page.kept).toEqual({ consent: true, typedName: 'Kari' });
    expect(page.problem).toEqual({ kind: 'signature' });
  });
});

describe('whether a Sign can go ahead', () => {
  const handwritten = { signatureMethods: [{ name: 'nbid-sign', handwritten: true }] } as Partial<Task>;

  it('names the documents still to open (to sign or to read) or to upload first', () => {
    const ctx = context([doc('a', 'SIGN'), { ...doc('v', 'VIEW'), description: 'Terms' }, doc('u', 'UPLOAD')]);
    expect(signProblem(ctx, identified(), form())).toEqual({ kind: 'documents', names: ['a', 'Terms', 'u'] });
    expect(signProblem(ctx, identified(['v']), form())).toEqual({ kind: 'documents', names: ['a', 'u'] });
    expect(signProblem(ctx, identified(['v', 'a']), form())).toEqual({ kind: 'documents', names: ['u'] });
  });

  it('wants the consent, then (handwritten) a valid mark; drawn or typed', () => {
    const ctx = context([doc('a', 'SIGN')], handwritten);
    const read = identified(['a']);
    expect(signProblem(ctx, read, form({ consent: false }))).toEqual({ kind: 'consent' });
    expect(signProblem(ctx, read, form())).toEqual({ kind: 'signature' });
    expect(signProblem(ctx, read, form({ badImage: true }))).toEqual({ kind: 'image' });
    expect(signProblem(ctx, read, form({ png: 'iVBOR' }))).toBeUndefined();
    expect(signProblem(ctx, read, form({ png: 'iVBOR', typed: true, typedName: 'Kari' }))).toBeUndefined();
    expect(signProblem(context([doc('a', 'SIGN')]), read, form())).toBeUndefined(); // not handwritten
  });
});
