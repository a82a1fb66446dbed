import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS } from '@esign/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { accessToken } from '../support/merchants.js';
import { merchant, seedResources } from '../fuzz/merchant.js';
import { runSchemathesis, summarize, type SchemathesisResult } from '../fuzz/schemathesis.js';

// Schemathesis against the OpenAPI document the gateway serves, as the demo merchant, with every conformance check:
// no 5xx, and every answer's status, content type, headers and body as the document declares. Deterministic
// generation, so every run sends the same cases. It runs on a second gateway of the test stack without the rate
// limit (a fuzzer sends far more than a merchant may, and the limit's counters are shared with the other tests);
// everything else is the stack's. Live resources are seeded so half the cases reach past 404; a share of the path
// parameters get traversal and malformed values. `npm run fuzz` runs a bigger budget on a stack of its own.
describe('schemathesis against the served OpenAPI document', () => {
  let gateway: ExtraGateway;
  let workDir: string;
  let result: SchemathesisResult;

  beforeAll(async () => {
    // Its thousand traces would only crowd the stack's trace collector, which tracing.test.ts reads.
    gateway = await startExtraGateway({ RATE_LIMIT_REQUESTS: '0', OTEL_TRACES_EXPORTER: 'none' });
    workDir = mkdtempSync(join(tmpdir(), 'esign-fuzz-'));
    const token = await accessToken('demo');
    const m = merchant(gateway.url(), token);
    const knownIds = await seedResources(m);
    result = await runSchemathesis({
      schemaUrl: `${m.api}/openapi.json`,
      baseUrl: m.api,
      token,
      workDir,
      maxExamples: 5,
      workers: 4,
      deterministic: true,
      knownIds,
      hostilePathValues: true,
    });
    process.stdout.write(`schemathesis (integration budget):\n${summarize(result)}\n`);
  }, 420_000);

  afterAll(async () => {
    await gateway?.stop();
    if (workDir && !process.env.ESIGN_KEEP_TEST_DATA) rmSync(workDir, { recursive: true, force: true });
  });

  const failures = () => result.output.split('FAILURES').slice(1).join('').slice(0, 8000);

  it('tests every operation of the contract and runs hundreds of cases', () => {
    expect(result.operations.selected).toBe(OPERATIONS.length);
    expect(result.operations.tested).toBe(OPERATIONS.length);
    expect(result.cases).toBeGreaterThan(500);
    // The HAR log holds every request it sent: one per case.
    expect(result.requests).toBe(result.cases);
    // The seeded resources were reached: reads and deletes that succeeded, not only 404s.
    expect(result.statuses['200'] ?? 0).toBeGreaterThan(0);
    expect(result.statuses['204'] ?? 0).toBeGreaterThan(0);
  });

  it('finds no failure: schemathesis exits 0, its JSON and JUnit reports list none', () => {
    expect(result.casesWithFailures, failures()).toBe(0);
    expect(result.errors, failures()).toBe(0);
    expect(result.junit.tests).toBeGreaterThanOrEqual(OPERATIONS.length);
    expect(result.junit.failedCases, failures()).toEqual([]);
    expect(result.junit.failures).toBe(0);
    expect(result.junit.errors).toBe(0);
    expect(result.exitCode, failures()).toBe(0);
  });

  it('got no 5xx answer to any case', () => {
    expect(result.serverErrors, JSON.stringify(result.statuses)).toBe(0);
  });
});
