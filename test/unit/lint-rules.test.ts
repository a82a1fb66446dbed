import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/tools.mjs';

// The repo's lint config is a guard rail the workflows depend on: prove it fires, on a probe file in workflows/src.
describe('lint rules', () => {
  it('forbids I/O modules and Node built-ins in workflow code, and floating promises everywhere', async () => {
    const probe = join(ROOT, 'workflows', 'src', `lint-probe-${process.pid}.ts`);
    writeFileSync(
      probe,
      [
        "import { readFileSync } from 'node:fs';",
        "import { Redis } from 'ioredis';",
        "import * as Minio from 'minio';",
        'export async function probe(): Promise<unknown> {',
        '  Promise.resolve(1);',
        '  return [readFileSync, Redis, Minio];',
        '}',
        '',
      ].join('\n'),
    );
    try {
      const [result] = await new ESLint({ cwd: ROOT }).lintFiles([probe]);
      const rules = (result?.messages ?? []).map((m) => m.ruleId);
      expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(3);
      expect(rules).toContain('@typescript-eslint/no-floating-promises');
    } finally {
      rmSync(probe, { force: true });
    }
  }, 60_000);
});
