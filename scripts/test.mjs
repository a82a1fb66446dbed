#!/usr/bin/env node
// `npm test`: install whatever is missing, then lint, type-check and run every test. Stops at the first failing
// step and exits non-zero. Arguments are passed to vitest (e.g. `npm test -- packages/config`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bootstrap } from './bootstrap.mjs';
import { ROOT } from './tools.mjs';

bootstrap();
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const vitestArgs = process.argv.slice(2);
const steps = [
  ['lint', bin('eslint'), ['.', '--max-warnings', '0']],
  ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['tests', bin('vitest'), ['run', ...vitestArgs]],
];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  process.stdout.write(`\n[test] ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`[test] ${name} failed after ${seconds}s\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`[test] ${name} passed in ${seconds}s\n`);
}
