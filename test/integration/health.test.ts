import { freePort, SERVICES, startServices, type RunningService } from '@esign/devstack';
import { SEARCH_ATTRIBUTES } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { extraLogDir } from '../support/extra-logs.js';

const stack = inject('stack');

describe('health endpoints', () => {
  for (const [name, { healthPortVar }] of Object.entries(SERVICES)) {
    it(`${name}: /healthz is 200 and /readyz is 200 with every dependency reachable`, async () => {
      const base = `http://127.0.0.1:${stack.env[healthPortVar]}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', service: name });
      const ready = await fetch(`${base}/readyz`);
      const report = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
      expect(ready.status).toBe(200);
      expect(report.ready).toBe(true);
      // every service but the identity provider needs Temporal
      if (name !== 'identity') expect(report.checks.temporal?.ok).toBe(true);
      expect(Object.keys(report.checks).length).toBeGreaterThan(0);
      for (const check of Object.values(report.checks)) expect(check.ok).toBe(true);
    });
  }
});

describe('readiness tells the truth', () => {
  let gateway: RunningService | undefined;

  beforeAll(async () => {
    // A second gateway whose Redis is an address nothing listens on: alive, but not ready.
    const env = {
      ...stack.env,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_OPERATOR_PORT: String(await freePort()),
    };
    const logDir = extraLogDir('gateway-readiness');
    [gateway] = await startServices({ names: ['gateway'], env, logDir, waitFor: 'alive' });
  });
  afterAll(async () => {
    await gateway?.process.stop();
  });

  it('answers /readyz 503 naming the unreachable dependency, while /healthz stays 200', async () => {
    expect((await fetch(gateway!.healthUrl)).status).toBe(200);
    const res = await fetch(gateway!.readyUrl);
    expect(res.status).toBe(503);
    const report = (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };
    expect(report.ready).toBe(false);
    expect(report.checks.redis?.ok).toBe(false);
    expect(report.checks.redis?.error).toBeTruthy();
    expect(report.checks.temporal?.ok).toBe(true);
    expect(report.checks.s3?.ok).toBe(true);
  });
});

describe('Temporal search attributes', () => {
  let clients: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    clients = await stackClients();
  });
  afterAll(async () => {
    await clients.close();
  });

  it('registers SignOrderId, SignMerchantId, SignClientReference and SignOrderStatus as Keyword', async () => {
    const { customAttributes } = await clients.temporal.connection.operatorService.listSearchAttributes({
      namespace: clients.config.temporal.namespace,
    });
    for (const name of Object.values(SEARCH_ATTRIBUTES)) {
      expect(customAttributes?.[name]).toBeDefined();
    }
  });
});
