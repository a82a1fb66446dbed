import { describe, expect, it } from 'vitest';
import { findCycles } from './rules-dependencies.js';
import { fullOrder, messageAt, pathsOf, set, violationsOf, type Body } from './test-fixtures.js';

describe('cross-field rules', () => {
  it('refuses duplicate task, document, notification and packaging task ids', () => {
    const body = fullOrder();
    set(body, 'tasks.1.id', 'task1');
    set(body, 'tasks.0.documents', [
      ...((body.tasks as Body[])[0]!.documents as Body[]),
      { id: 'doc1', action: 'UPLOAD', source: 'UPLOAD' },
    ]);
    set(body, 'notifications', [
      ...(body.notifications as Body[]),
      { id: 'done1', type: 'URL', recipient: 'https://example.test/h' },
    ]);
    set(body, 'packagingTasks', [
      ...(body.packagingTasks as Body[]),
      { id: 'pkg1', documents: [{ taskId: 'task1', documentIds: ['doc1'] }] },
    ]);
    expect(pathsOf(body)).toEqual(
      expect.arrayContaining([
        'tasks[1].id',
        'tasks[0].documents[1].id',
        'notifications[1].id',
        'packagingTasks[1].id',
      ]),
    );
    expect(messageAt(body, 'tasks[1].id')).toBe("duplicates the task id 'task1' of tasks[0]");
  });

  it('treats ids named like Object.prototype members as ordinary ids, present or not (issue 29)', () => {
    const named = set(set(fullOrder(), 'tasks.0.id', 'constructor'), 'tasks.1.id', '__proto__');
    set(named, 'tasks.1.dependsOnTasks', ['constructor']);
    set(named, 'tasks.0.documents.0.id', 'toString');
    set(named, 'packagingTasks.0.documents', [{ taskId: 'constructor', documentIds: ['toString'] }]);
    expect(pathsOf(named)).toEqual([]);
    const missing = set(fullOrder(), 'tasks.1.dependsOnTasks', ['constructor', 'hasOwnProperty', '__proto__']);
    set(missing, 'packagingTasks.0.documents', [{ taskId: 'task1', documentIds: ['valueOf', 'toString'] }]);
    expect(pathsOf(missing).sort()).toEqual([
      'packagingTasks[0].documents[0].documentIds[0]',
      'packagingTasks[0].documents[0].documentIds[1]',
      'tasks[1].dependsOnTasks[0]',
      'tasks[1].dependsOnTasks[1]',
      'tasks[1].dependsOnTasks[2]',
    ]);
    const twice = set(set(fullOrder(), 'tasks.0.id', '__proto__'), 'tasks.1.id', '__proto__');
    expect(messageAt(twice, 'tasks[1].id')).toBe("duplicates the task id '__proto__' of tasks[0]");
  });

  it('scopes document and notification ids to their task, as multi-signer examples reuse them', () => {
    const body = fullOrder();
    expect((body.tasks as Body[]).map((t) => (t.documents as Body[])[0]!.id)).toEqual(['doc1', 'doc1']);
    expect(pathsOf(body)).toEqual([]);
  });

  it('requires documentRef when source is SESSION', () => {
    const body = set(fullOrder(), 'tasks.1.documents.0.documentRef', undefined);
    expect(messageAt(body, 'tasks[1].documents[0].documentRef')).toBe('is required when source is SESSION');
    expect(
      pathsOf(set(set(body, 'tasks.1.documents.0.source', 'UPLOAD'), 'tasks.1.documents.0.action', 'UPLOAD')),
    ).toEqual([]);
  });

  it('refuses SIGN and VIEW of a document the signer supplies (source UPLOAD), which could never complete', () => {
    for (const action of ['SIGN', 'VIEW']) {
      const body = set(set(fullOrder(), 'tasks.1.documents.0.source', 'UPLOAD'), 'tasks.1.documents.0.action', action);
      expect(pathsOf(body)).toEqual(['tasks[1].documents[0].action']);
      expect(messageAt(body, 'tasks[1].documents[0].action')).toMatch(/can never complete.*use action UPLOAD/);
    }
  });

  it('requires dependsOnTasks to name other tasks of the order', () => {
    const unknown = set(fullOrder(), 'tasks.1.dependsOnTasks', ['task1', 'task9']);
    expect(messageAt(unknown, 'tasks[1].dependsOnTasks[1]')).toBe("names no task of this order ('task9')");
    const itself = set(fullOrder(), 'tasks.1.dependsOnTasks', ['task2']);
    expect(messageAt(itself, 'tasks[1].dependsOnTasks[0]')).toMatch(/cannot depend on itself/);
  });

  it('refuses a dependency cycle and names the tasks in it', () => {
    const body = fullOrder();
    const third = { ...structuredClone((body.tasks as Body[])[0]!), id: 'task3', dependsOnTasks: ['task2'] };
    set(body, 'tasks', [...(body.tasks as Body[]), third]);
    set(body, 'tasks.0.dependsOnTasks', ['task3']);
    expect(violationsOf(body)).toEqual([
      {
        propertyPath: 'tasks[0].dependsOnTasks',
        message: "forms a dependency cycle: 'task1' → 'task3' → 'task2' → 'task1'",
      },
    ]);
  });

  it('finds every cycle, including ones not reachable from the first node', () => {
    expect(findCycles([[1], [0], [3], [2]])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(findCycles([[1], [2], []])).toEqual([]);
  });

  it('requires packaging documents to name documents of tasks of the order', () => {
    const body = fullOrder();
    set(body, 'packagingTasks.0.documents', [
      { taskId: 'task1', documentIds: ['doc1', 'doc7'] },
      { taskId: 'task8', documentIds: ['doc1'] },
    ]);
    expect(violationsOf(body)).toEqual([
      {
        propertyPath: 'packagingTasks[0].documents[0].documentIds[1]',
        message: "names no document of task 'task1' ('doc7')",
      },
      { propertyPath: 'packagingTasks[0].documents[1].taskId', message: "names no task of this order ('task8')" },
    ]);
  });

  it('requires an identity method for the signer', () => {
    const body = set(fullOrder(), 'tasks.0.signatureMethods', [{ handwritten: true }]);
    set(body, 'tasks.0.authentication', undefined);
    expect(messageAt(body, 'tasks[0].signatureMethods')).toMatch(/needs an identity method/);
    expect(pathsOf(set(body, 'tasks.0.authentication', { methods: ['scid-sms'] }))).toEqual([]);
  });

  it('reports every violation at once, structural and cross-field together', () => {
    const body = fullOrder();
    set(body, 'clientReference', '');
    set(body, 'tasks.0.language', 'xx');
    set(body, 'tasks.1.documents.0.documentRef', undefined);
    set(body, 'tasks.1.dependsOnTasks', ['nope']);
    set(body, 'tasks.1.notifications.0.recipient', '004791234567');
    set(body, 'packagingTasks.0.documents.0.documentIds', ['ghost']);
    expect(pathsOf(body)).toEqual([
      'clientReference',
      'tasks[0].language',
      'tasks[1].dependsOnTasks[0]',
      'packagingTasks[0].documents[0].documentIds[0]',
      'tasks[1].documents[0].documentRef',
      'tasks[1].notifications[0].recipient',
    ]);
  });
});

describe('notification rules by type', () => {
  const sms = 'tasks.1.notifications.0';
  const email = 'tasks.0.notifications.0';
  const url = 'packagingTasks.0.notifications.0';
  const at = (path: string, field: string) => `${path.replace(/\.(\d+)/g, '[$1]')}.${field}`;
  const rejects = (path: string, field: string, value: unknown, message: RegExp) =>
    expect(messageAt(set(fullOrder(), `${path}.${field}`, value), at(path, field))).toMatch(message);
  const accepts = (path: string, field: string, value: unknown) =>
    expect(pathsOf(set(fullOrder(), `${path}.${field}`, value))).toEqual([]);

  it('accepts only E.164 phone numbers', () => {
    for (const bad of ['004791234567', '+47 912 34 567', '4791234567', '+0791234567', '+47912345678901234', '+47']) {
      rejects(sms, 'recipient', bad, /E\.164/);
    }
    accepts(sms, 'recipient', '+4791234567');
    accepts(sms, 'recipient', '+358401234567');
  });

  it('accepts an SMS sender that is E.164 or 1 to 11 letters and digits', () => {
    for (const bad of ['Acme Signing', 'Acme-AS', '', '0047912345']) rejects(sms, 'sender', bad, /1 to 11 letters/);
    accepts(sms, 'sender', 'AcmeSigning');
    accepts(sms, 'sender', '+4791234567');
  });

  it('requires a message for SMS and EMAIL, at most 1600 characters for SMS', () => {
    rejects(sms, 'message', undefined, /required for SMS/);
    rejects(email, 'message', '  ', /required for EMAIL/);
    rejects(sms, 'message', 'x'.repeat(1601), /at most 1600/);
    accepts(url, 'message', undefined);
  });

  it('accepts only well-formed e-mail addresses', () => {
    for (const bad of [
      'signer',
      'signer@',
      '@example.test',
      'a b@example.test',
      'signer@example',
      'a..b@example.test',
    ]) {
      rejects(email, 'recipient', bad, /e-mail address/);
    }
    accepts(email, 'recipient', 'first.last+tag@sub.example.test');
    accepts(email, 'sender', 'Acme Signing <noreply@example.test>');
    rejects(email, 'sender', 'Acme <not-an-address>', /e-mail address/);
  });

  it('accepts only http(s) URLs for URL notifications', () => {
    for (const bad of ['example.test/hook', 'ftp://example.test/hook', 'https://', 'mailto:a@example.test']) {
      rejects(url, 'recipient', bad, /http or https URL/);
    }
    accepts(url, 'recipient', 'http://127.0.0.1:8080/hook?x=1');
  });
});
