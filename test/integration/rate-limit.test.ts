import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { api } from '../support/merchants.js';

// Two gateway replicas with a low limit and their own counter prefix: the limit is per merchant and shared.
describe('per-merchant rate limit shared in Redis', () => {
  let a: ExtraGateway;
  let b: ExtraGateway;
  beforeAll(async () => {
    const env = {
      RATE_LIMIT_REQUESTS: '4',
      RATE_LIMIT_WINDOW_SECONDS: '3600',
      REDIS_KEY_PREFIX: `esign-rl-${randomBytes(6).toString('hex')}:`,
    };
    [a, b] = await Promise.all([startExtraGateway(env), startExtraGateway(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('counts across replicas, answers 429 with Retry-After beyond the limit, and spares other merchants', async () => {
    const probe = '/documents/AAAAAAAAAAAAAAAAAAAAAA';
    let first = await api('demo', probe, {}, a.url());
    // A window about to roll over would reset the count mid-test: wait for the next one instead.
    const reset = Number(first.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThan(0);
    if (reset < 30) {
      await new Promise((r) => setTimeout(r, (reset + 1) * 1000));
      first = await api('demo', probe, {}, a.url());
    }
    expect(first.headers.get('ratelimit-limit')).toBe('4');
    expect(first.headers.get('ratelimit-remaining')).toBe('3');
    const statuses = [first.status];
    for (const gw of [b, a, b]) statuses.push((await api('demo', probe, {}, gw.url())).status);
    expect(statuses).toEqual([404, 404, 404, 404]);

    const limited = await api('demo', probe, {}, a.url());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect((await api('demo', probe, {}, b.url())).status).toBe(429);

    expect((await api('other', probe, {}, b.url())).status).toBe(404);
  });
});
