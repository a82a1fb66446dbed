import { OPERATIONS, pathParameters } from '@esign/contracts';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl } from '../support/clients.js';
import { api } from '../support/merchants.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { 'x-esign-available': boolean }>> };

describe('OpenAPI document as served', () => {
  let doc: Doc;
  beforeAll(async () => {
    const res = await fetch(gatewayUrl('/enterprise/sign/openapi.json'));
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });

  it('is served without authentication and passes a standard OpenAPI 3.1 validator', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const config = await createConfig({ extends: ['recommended-strict'], rules: { 'info-license': 'off' } });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
    expect(problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  });

  it('lists exactly the operations the gateway routes', () => {
    const served = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(served.sort()).toEqual(OPERATIONS.map((op) => `${op.method} ${op.path}`).sort());
  });

  // Behaviour and spec agree: an operation marked available answers (never 501); one that is not answers 501.
  for (const op of OPERATIONS) {
    it(`${op.method.toUpperCase()} ${op.path} behaves as its x-esign-available says`, async () => {
      const path = pathParameters(op.path).reduce(
        (p, name) => p.replace(`{${name}}`, 'AAAAAAAAAAAAAAAAAAAAAA'),
        op.path,
      );
      const init: RequestInit = { method: op.method.toUpperCase() };
      if (op.method === 'post') Object.assign(init, { body: 'x', headers: { 'content-type': 'text/plain' } });
      const res = await api('demo', path, init);
      const available = doc.paths[op.path]![op.method]!['x-esign-available'];
      expect(available).toBe(op.available);
      if (available) expect(res.status).not.toBe(501);
      else {
        expect(res.status).toBe(501);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    });
  }

  it('serves a human-readable docs page whose assets come from this origin', async () => {
    const page = await fetch(gatewayUrl('/enterprise/sign/docs'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const src of sources) {
      expect(src).not.toMatch(/^https?:|^\/\//);
      const asset = await fetch(gatewayUrl(`/enterprise/sign/${src}`));
      expect(asset.status, src).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(50);
    }
  });
});
