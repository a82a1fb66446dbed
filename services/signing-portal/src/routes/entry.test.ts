import { describe, expect, it } from 'vitest';
import { linkTarget } from './entry.js';

const target = { merchantId: 'm1', orderId: 'o1', taskId: 't1' };

describe('a signing link', () => {
  it('opens the sign code’s task when the ids, if any, name that task', () => {
    expect(linkTarget(target, {})).toEqual(target);
    expect(linkTarget(target, { request_id: 'o1', task_id: 't1' })).toEqual(target);
  });

  it('opens nothing when the ids name another task, or the code is unknown', () => {
    expect(linkTarget(target, { request_id: 'o1', task_id: 't2' })).toBeNull();
    expect(linkTarget(target, { request_id: 'o2' })).toBeNull();
    expect(linkTarget(target, { task_id: ['t1', 't2'] })).toBeNull();
    expect(linkTarget(null, { request_id: 'o1', task_id: 't1' })).toBeNull();
  });
});
