import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './enums.js';
import { fullOrder, messageAt, pathsOf, set, violationsOf } from './test-fixtures.js';
import { validateSigningOrder } from './validate-order.js';

describe('validateSigningOrder: accepted orders', () => {
  it('accepts a complete order and returns it with defaults applied', () => {
    const body = fullOrder();
    set(body, 'daysUntilDeletion', undefined);
    set(body, 'tasks.1.daysToLive', undefined);
    set(body, 'tasks.1.language', undefined);
    const result = validateSigningOrder(body);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.value.daysUntilDeletion).toBe(30);
    expect(result.value.tasks[1]).toMatchObject({ id: 'task2', daysToLive: 30, language: 'en' });
    expect(result.value.tasks[0]).toMatchObject({ daysToLive: 7, language: 'en' });
    expect(result.value.tasks[0]!.signatureMethods[0]!.handwritten).toBe(false);
    expect(result.value.packagingTasks![0]!.documents).toHaveLength(2);
    expect(result.value.tasks[1]!.notifications![0]!.schedule![1]!.delay).toEqual({ days: 3 });
  });

  it('treats null as absent, as the .NET SDK sends every unset property', () => {
    const body = fullOrder();
    Object.assign(body, { notifications: null, notificationTemplateParams: null });
    set(body, 'tasks.0.configuration', null);
    set(body, 'tasks.0.dialog', null);
    set(body, 'tasks.0.documents.0.form', null);
    set(body, 'tasks.0.signatureMethods', [{ name: null, type: null, handwritten: true }]);
    const result = validateSigningOrder(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.notifications).toBeUndefined();
  });

  it('ignores response-only fields so an order read back can be sent again', () => {
    const body = set(fullOrder(), 'id', 'order-1');
    Object.assign(body, { artifact: 'a' });
    set(body, 'tasks.0.signingUrl', 'https://portal.example.test/std/docaction?request_id=o&task_id=task1');
    set(body, 'tasks.0.status', 'CREATED');
    const result = validateSigningOrder(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.keys(result.value.tasks[0]!)).not.toContain('signingUrl');
  });

  it('accepts and drops unknown subject fields, which some clients send', () => {
    const result = validateSigningOrder(set(fullOrder(), 'tasks.0.subject.nationalId', '01017012345'));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.tasks[0]!.subject).not.toHaveProperty('nationalId');
  });

  it('accepts every language of contract §6', () => {
    for (const language of LANGUAGES) expect(pathsOf(set(fullOrder(), 'tasks.0.language', language))).toEqual([]);
  });
});

describe('validateSigningOrder: structural rules', () => {
  const cases: [string, string, unknown, RegExp][] = [
    ['tasks', 'tasks', undefined, /is required/],
    ['tasks', 'tasks', [], /at least 1 item/],
    ['missing task id', 'tasks.0.id', undefined, /is required/],
    ['task id charset', 'tasks.0.id', 'task 1', /letters, digits/],
    ['task id length', 'tasks.0.id', 'x'.repeat(129), /1 to 128/],
    ['clientReference empty', 'clientReference', '', /1 to 255/],
    ['clientReference long', 'clientReference', 'x'.repeat(256), /at most 255/],
    ['daysUntilDeletion low', 'daysUntilDeletion', 0, /integer from 1 to 30/],
    ['daysUntilDeletion high', 'daysUntilDeletion', 31, /integer from 1 to 30/],
    ['daysUntilDeletion fraction', 'daysUntilDeletion', 1.5, /integer from 1 to 30/],
    ['daysToLive high', 'tasks.0.daysToLive', 366, /integer from 1 to 365/],
    ['daysToLive type', 'tasks.0.daysToLive', '7', /integer from 1 to 365/],
    ['language', 'tasks.0.language', 'no', /must be one of: ca, da/],
    ['action enum', 'tasks.0.documents.0.action', 'sign', /must be one of: SIGN, VIEW, UPLOAD/],
    ['source enum', 'tasks.0.documents.0.source', 'SDS', /must be one of: SESSION, UPLOAD/],
    ['signature type', 'tasks.0.signatureMethods.0.type', 'PKI', /must be one of/],
    ['trigger', 'tasks.0.notifications.0.schedule.0.triggerStatus', 'DONE', /must be one of/],
    [
      'packaging trigger',
      'packagingTasks.0.notifications.0.schedule.0.triggerStatus',
      'REJECTED',
      /CREATED, COMPLETED/,
    ],
    ['packaging method', 'packagingTasks.0.method', 'xades', /must be one of: pades/],
    ['boolean', 'tasks.0.documents.0.sendResultToArchive', 'yes', /true or false/],
    ['redirect URL', 'tasks.0.onTaskComplete', 'javascript:alert(1)', /http or https URL/],
    ['logo URL', 'notificationTemplateParams.0.logoUrl', 'ftp://example.test/logo.png', /http or https URL/],
    ['documentRef charset', 'tasks.0.documents.0.documentRef', '../etc/passwd', /letters, digits/],
    ['attribute value', 'tasks.0.subject.attributes.0.value', undefined, /is required/],
    ['unknown field', 'tasks.0.onTaskCancel', 'https://example.test', /not a known field/],
    ['delay unit', 'tasks.1.notifications.0.schedule.1.delay.days', -1, /integer from 0 to 365/],
    ['control characters', 'tasks.0.notifications.0.header', 'Hi\r\nBcc: x@example.test', /single line/],
  ];
  for (const [name, path, value, message] of cases) {
    it(`rejects ${name} at its property path`, () => {
      const propertyPath = path.replace(/\.(\d+)/g, '[$1]');
      expect(messageAt(set(fullOrder(), path, value), propertyPath)).toMatch(message);
    });
  }

  it('names an unknown field at the top level and inside notifications', () => {
    const body = set(fullOrder(), 'callbackUrl', 'x');
    set(body, 'tasks.1.notifications.0.priority', 'high');
    expect(pathsOf(body)).toEqual(['tasks[1].notifications[0].priority', 'callbackUrl']);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'order', 42]) {
      expect(violationsOf(body)).toEqual([{ propertyPath: '', message: 'the body must be a JSON object' }]);
    }
  });
});
