import { describe, expect, it } from 'vitest';
import { validateSigningOrder } from './validate-order.js';
import { LIMITS } from './limits.js';
import { fullOrder, messageAt, pathsOf, set, violationsOf, type Body } from './test-fixtures.js';

function nested(depth: number): Body {
  let node: Body = { leaf: true };
  for (let i = 0; i < depth; i++) node = { a: node };
  return node;
}

describe('hostile input gives violations, never exceptions', () => {
  it('refuses huge numbers', () => {
    expect(messageAt(set(fullOrder(), 'tasks.0.daysToLive', 1e308), 'tasks[0].daysToLive')).toMatch(/1 to 365/);
    const parsed = JSON.parse(`{"daysUntilDeletion": ${'9'.repeat(400)}}`) as Body;
    expect(parsed.daysUntilDeletion).toBe(Infinity);
    expect(messageAt({ ...fullOrder(), ...parsed }, 'daysUntilDeletion')).toMatch(/1 to 30/);
    expect(messageAt(set(fullOrder(), 'daysUntilDeletion', '9'.repeat(400)), 'daysUntilDeletion')).toMatch(/1 to 30/);
    expect(
      messageAt(
        set(fullOrder(), 'tasks.1.notifications.0.schedule.1.delay.minutes', 2 ** 64),
        'tasks[1].notifications[0].schedule[1].delay.minutes',
      ),
    ).toMatch(/integer from 0/);
  });

  it('refuses 10,000 levels of nesting wherever they are', () => {
    const deep = nested(10_000);
    expect(() => violationsOf(deep)).not.toThrow();
    expect(pathsOf(deep)).toContain('tasks');
    const inSubject = set(fullOrder(), 'tasks.0.subject.extra', deep);
    expect(violationsOf(inSubject).some((v) => /nested too deeply/.test(v.message))).toBe(true);
    const inField = set(fullOrder(), 'clientReference', deep);
    expect(messageAt(inField, 'clientReference')).toBe('must be a string');
  });

  it('refuses a 100,000-task array with one violation, quickly', () => {
    const task = (fullOrder().tasks as Body[])[0]!;
    const body = set(
      fullOrder(),
      'tasks',
      Array.from({ length: 100_000 }, () => task),
    );
    const started = performance.now();
    const violations = violationsOf(body);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(violations[0]).toEqual({ propertyPath: 'tasks', message: `must have at most ${LIMITS.tasks} items` });
    expect(violations.length).toBeLessThanOrEqual(LIMITS.maxViolations);
  });

  it('caps the violations listed and says how many more there are', () => {
    const tasks = Array.from({ length: LIMITS.tasks }, (_, i) => ({
      id: `t${i}`,
      documents: [],
      signatureMethods: [],
    }));
    const violations = violationsOf({ tasks });
    expect(violations).toHaveLength(LIMITS.maxViolations);
    expect(violations.at(-1)?.message).toMatch(/^\d+ further violations are not listed$/);
  });

  it('refuses overlong strings without echoing them', () => {
    const huge = 'a'.repeat(1_000_000);
    const body = set(fullOrder(), 'tasks.0.id', huge);
    set(body, 'tasks.0.dependsOnTasks', [huge]);
    const violations = violationsOf(body);
    expect(pathsOf(body)).toContain('tasks[0].id');
    expect(JSON.stringify(violations).length).toBeLessThan(2000);
  });

  it('keeps a __proto__ key an ordinary unknown field (ignored and reported) and pollutes nothing', () => {
    const body = JSON.parse(JSON.stringify(fullOrder()).replace('{', '{"__proto__":{"polluted":true},')) as Body;
    const result = validateSigningOrder(body);
    expect(result).toMatchObject({ ok: true, ignored: ['__proto__'] });
    if (result.ok) expect(Object.hasOwn(result.value, '__proto__')).toBe(false);
    expect(({} as Body).polluted).toBeUndefined();
  });

  it('survives arrays of the wrong things', () => {
    const body = set(fullOrder(), 'tasks', [null, 1, 'x', [], { id: 7 }]);
    expect(() => violationsOf(body)).not.toThrow();
    expect(pathsOf(body)).toEqual(
      expect.arrayContaining(['tasks[0]', 'tasks[1]', 'tasks[2]', 'tasks[3]', 'tasks[4].id']),
    );
  });
});
