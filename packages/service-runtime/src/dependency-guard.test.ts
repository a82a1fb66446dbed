import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createGuard, DependencyUnavailable } from './dependency-guard.js';

const never = () => new Promise<never>(() => undefined);
const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

async function reasonOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DependencyUnavailable);
  return (err as DependencyUnavailable).reason;
}

describe('dependency guard', () => {
  it('gives up on a call past its deadline and names the dependency', async () => {
    const guard = createGuard('Redis', { deadlineMs: 50, failures: 3, halfOpenMs: 1000 });
    const err = await guard.run(never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyUnavailable);
    expect(err).toMatchObject({ dependency: 'Redis', reason: 'deadline', retryAfterSeconds: 1 });
    expect((err as Error).message).toBe('Redis did not answer in time');
  });

  it('opens after the configured outages, refuses at once, lets one probe through and closes on its success', async () => {
    const guard = createGuard('S3 storage', { deadlineMs: 50, failures: 2, halfOpenMs: 100 });
    expect(guard.state()).toBe('closed');
    expect(await reasonOf(guard.run(never))).toBe('deadline');
    expect(guard.state()).toBe('closed');
    expect(await reasonOf(guard.run(refused))).toBe('unreachable');
    expect(guard.state()).toBe('open');
    // Open: the call is not even made.
    let called = false;
    expect(
      await reasonOf(
        guard.run(async () => {
          called = true;
        }),
      ),
    ).toBe('circuit-open');
    expect(called).toBe(false);
    await sleep(150);
    // Half-open: the next call is the probe; its success closes the breaker.
    expect(await guard.run(async () => 'pong')).toBe('pong');
    expect(guard.state()).toBe('closed');
  });

  it('reopens when the probe fails', async () => {
    const guard = createGuard('Temporal', { deadlineMs: 50, failures: 1, halfOpenMs: 100 });
    expect(await reasonOf(guard.run(never))).toBe('deadline');
    expect(guard.state()).toBe('open');
    await sleep(150);
    const probe = guard.run(never);
    expect(guard.state()).toBe('half-open');
    expect(await reasonOf(probe)).toBe('deadline');
    expect(guard.state()).toBe('open');
    expect(await reasonOf(guard.run(async () => 'pong'))).toBe('circuit-open');
  });

  it('refuses the other calls at once while one probes, instead of holding them until the probe settles', async () => {
    const guard = createGuard('Redis', { deadlineMs: 300, failures: 1, halfOpenMs: 100 });
    expect(await reasonOf(guard.run(never))).toBe('deadline');
    await sleep(150);
    const probe = guard.run(never);
    expect(guard.state()).toBe('half-open');
    let called = false;
    const other = guard.run(async () => {
      called = true;
      return 'pong';
    });
    // Settles before the probe does: it is not waiting for the probe's outcome (cockatiel's own half-open would).
    const first = await Promise.race([
      other.then(
        () => 'other',
        () => 'other',
      ),
      probe.then(
        () => 'probe',
        () => 'probe',
      ),
    ]);
    expect(first).toBe('other');
    expect(await reasonOf(other)).toBe('circuit-open');
    expect(called).toBe(false);
    expect(await reasonOf(probe)).toBe('deadline');
  });

  it('fails the calls under way when the breaker opens, for a client that queues them, and only for such a one', async () => {
    for (const queues of [true, false]) {
      const guard = createGuard('Redis', { deadlineMs: 50, failures: 1, halfOpenMs: 1000, queues });
      // A call waiting behind another (no deadline of its own yet), and the call that finds the dependency hung.
      let settled = false;
      const queued = guard.run(never, { deadline: false }).finally(() => (settled = true));
      queued.catch(() => undefined);
      expect(await reasonOf(guard.run(never))).toBe('deadline');
      await sleep(5);
      expect(settled).toBe(queues);
      if (queues) expect(await reasonOf(queued)).toBe('deadline');
    }
  });

  it('passes answers through: an error that is an answer neither opens the breaker nor becomes a 503', async () => {
    const guard = createGuard('S3 storage', { deadlineMs: 50, failures: 1, halfOpenMs: 1000 });
    const notFound = Object.assign(new Error('Not Found'), { code: 'NoSuchKey' });
    await expect(guard.run(() => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(guard.state()).toBe('closed');
  });

  it('leaves a call run without a deadline to its own idle deadline, still behind the breaker', async () => {
    const guard = createGuard('S3 storage', { deadlineMs: 20, failures: 1, halfOpenMs: 1000 });
    const slow = () => sleep(60).then(() => 'stored');
    expect(await guard.run(slow, { deadline: false })).toBe('stored');
    expect(await reasonOf(guard.run(refused, { deadline: false }))).toBe('unreachable');
    expect(await reasonOf(guard.run(slow, { deadline: false }))).toBe('circuit-open');
  });
});
