import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_FILE, REGENERATE_COMMAND, servedDocument, writeApiTypes } from './generate.js';

// The SDK's committed types must be what the generator makes from today's contract: a change to the OpenAPI
// document without regenerating fails here, saying how to fix it.
describe('generated SDK types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esign-client-codegen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('match the OpenAPI document the gateway serves', async () => {
    const fresh = join(dir, 'api.ts');
    await writeApiTypes(servedDocument(), fresh);
    const committed = readFileSync(GENERATED_FILE, 'utf8');
    const same = readFileSync(fresh, 'utf8') === committed;
    expect(
      same,
      `packages/client/src/generated/api.ts is out of date with the OpenAPI document: run \`${REGENERATE_COMMAND}\` and commit the result`,
    ).toBe(true);
  });

  it('notices a changed document', async () => {
    const document = servedDocument() as { info: { title: string }; paths: Record<string, unknown> };
    document.paths['/extra'] = { get: { responses: { 204: { description: 'An operation the SDK does not know.' } } } };
    const changed = join(dir, 'changed.ts');
    await writeApiTypes(document, changed);
    expect(readFileSync(changed, 'utf8')).not.toBe(readFileSync(GENERATED_FILE, 'utf8'));
    expect(readFileSync(changed, 'utf8')).toContain("'/extra'");
  });
});
