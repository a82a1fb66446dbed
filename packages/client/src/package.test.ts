import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  publishConfig: { exports: { '.': { types: string; default: string } } };
};

// Ready to publish: the build (tsc) gives JavaScript and declarations that plain Node loads outside the workspace,
// and nothing of the workspace is needed at run time.
describe('the published package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esign-client-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('depends on nothing of the workspace', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(Object.values(manifest.dependencies).some((v) => v.startsWith('workspace:'))).toBe(false);
  });

  it('builds to JavaScript and declarations that plain Node imports', { timeout: 120_000 }, () => {
    const tsc = join(PACKAGE_DIR, 'node_modules', '.bin', 'tsc');
    execFileSync(tsc, ['-p', join(PACKAGE_DIR, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')]);
    const built = readdirSync(join(dir, 'dist'), { recursive: true }) as string[];
    expect(built).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'generated/api.d.ts']));
    expect(built.some((f) => f.includes('codegen') || f.endsWith('.test.js'))).toBe(false);
    for (const f of built.filter((name) => name.endsWith('.js'))) {
      expect(readFileSync(join(dir, 'dist', f), 'utf8'), f).not.toMatch(/from '@esign\//);
    }
    // Laid out as npm would install it: the package and its one dependency.
    const installed = join(dir, 'node_modules', '@esign', 'client');
    cpSync(join(dir, 'dist'), join(installed, 'dist'), { recursive: true });
    writeFileSync(
      join(installed, 'package.json'),
      JSON.stringify({ name: '@esign/client', type: 'module', exports: manifest.publishConfig.exports }),
    );
    cpSync(join(PACKAGE_DIR, 'node_modules', 'openapi-fetch'), join(dir, 'node_modules', 'openapi-fetch'), {
      recursive: true,
      dereference: true,
    });
    const script = `import('@esign/client').then((m) => console.log(Object.keys(m).sort().join(',')))`;
    const exported = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(exported.trim().split(',')).toEqual(
      expect.arrayContaining(['ClientCredentials', 'SignApiError', 'SignClient', 'TokenError', 'verifyCallback']),
    );
  });
});
