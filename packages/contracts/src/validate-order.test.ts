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

  it('accepts, drops and reports unknown fields, inside subject too', () => {
    const body = set(fullOrder(), 'tasks.0.subject.nationalId', '01017012345');
    set(body, 'callbackUrl', 'x');
    set(body, 'tasks.1.notifications.0.priority', 'high');
    const result = validateSigningOrder(body);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.value.tasks[0]!.subject).not.toHaveProperty('nationalId');
    expect(result.value).not.toHaveProperty('callbackUrl');
    expect([...result.ignored].sort()).toEqual(
      ['callbackUrl', 'tasks[0].subject.nationalId', 'tasks[1].notifications[0].priority'].sort(),
    );
  });

  it('reports authentication.artifact: true back as without effect only where there is no log-in to skip', () => {
    const withLogin = set(fullOrder(), 'tasks.0.authentication', { methods: ['nbid'], artifact: true });
    expect(validateSigningOrder(withLogin)).toMatchObject({ ok: true, ignored: [] });
    const without = set(fullOrder(), 'tasks.0.authentication', { artifact: true });
    expect(validateSigningOrder(without)).toMatchObject({ ok: true, ignored: ['tasks[0].authentication.artifact'] });
  });

  it('leaves a notification scheduled on FORWARDED to the creation (whether it fires depends on the server)', () => {
    const body = fullOrder();
    set(body, 'tasks.0.notifications', [
      {
        id: 'fwd',
        type: 'EMAIL',
        recipient: 'ola@example.test',
        message: 'Forwarded to you',
        schedule: [{ triggerStatus: 'CREATED' }, { triggerStatus: 'FORWARDED' }],
      },
    ]);
    expect(validateSigningOrder(body)).toMatchObject({ ok: true, ignored: [] });
  });

  it('reports unknown fields only once the order is otherwise valid, and still lists every violation', () => {
    const body = set(fullOrder(), 'callbackUrl', 'x');
    set(body, 'tasks.0.daysToLive', 400);
    expect(pathsOf(body)).toEqual(['tasks[0].daysToLive']);
  });

  it('takes 0 in daysToLive and daysUntilDeletion as "the default", as the .NET SDK sends an unset long', () => {
    const body = set(fullOrder(), 'daysUntilDeletion', 0);
    set(body, 'tasks.0.daysToLive', 0);
    const result = validateSigningOrder(body);
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect([result.value.daysUntilDeletion, result.value.tasks[0]!.daysToLive]).toEqual([30, 30]);
  });

  it('takes an empty optional list as none', () => {
    const body = set(fullOrder(), 'notifications', []);
    set(body, 'packagingTasks', []);
    set(body, 'notificationTemplateParams', []);
    set(body, 'tasks.0.notifications.0.schedule', []);
    set(body, 'tasks.1.dependsOnTasks', []);
    const result = validateSigningOrder(body);
    expect(result).toMatchObject({ ok: true, ignored: [] });
    if (!result.ok) return;
    expect(result.value).not.toHaveProperty('packagingTasks');
    expect(result.value.tasks[0]!.notifications![0]).not.toHaveProperty('schedule');
  });

  it('matches languages without regard to case', () => {
    const result = validateSigningOrder(set(fullOrder(), 'tasks.0.language', 'NB'));
    expect(result.ok && result.value.tasks[0]!.language).toBe('nb');
  });

  it('takes any printable id, as Signicat does (task.1, doc 1, a:b@c, GUIDs, non-Latin)', () => {
    for (const id of [
      'task.1',
      'doc 1',
      'a:b@c',
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      'Zeichnung-ä',
      '签名',
      'x'.repeat(255),
    ]) {
      expect(pathsOf(set(fullOrder(), 'tasks.0.notifications.0.id', id))).toEqual([]);
    }
  });

  it("uses Signicat's wording where its SDK's tests assert it", () => {
    expect(
      messageAt(
        set(fullOrder(), 'tasks.0.subject.attributes.0.value', undefined),
        'tasks[0].subject.attributes[0].value',
      ),
    ).toBe('Subject attribute value is required');
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
    ['task id control character', 'tasks.0.id', 'task\u00001', /printable characters/],
    ['task id line separator', 'tasks.0.id', 'task\u20281', /printable characters/],
    ['task id empty', 'tasks.0.documents.0.id', '', /1 to 255 printable/],
    ['task id length', 'tasks.0.id', 'x'.repeat(256), /1 to 255/],
    ['clientReference empty', 'clientReference', '', /1 to 255/],
    ['clientReference long', 'clientReference', 'x'.repeat(256), /at most 255/],
    ['daysUntilDeletion low', 'daysUntilDeletion', -1, /integer from 1 to 30/],
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
    ['delay unit', 'tasks.1.notifications.0.schedule.1.delay.days', -1, /integer from 0 to 365/],
    ['control characters', 'tasks.0.notifications.0.header', 'Hi\r\nBcc: x@example.test', /single line/],
  ];
  for (const [name, path, value, message] of cases) {
    it(`rejects ${name} at its property path`, () => {
      const propertyPath = path.replace(/\.(\d+)/g, '[$1]');
      expect(messageAt(set(fullOrder(), path, value), propertyPath)).toMatch(message);
    });
  }

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'order', 42]) {
      expect(violationsOf(body)).toEqual([{ propertyPath: '', message: 'the body must be a JSON object' }]);
    }
  });
});
