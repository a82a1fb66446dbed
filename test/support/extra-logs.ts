import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * A log dir for a service process a test starts besides the stack's own (a second gateway, a worker it kills):
 * under the test stack's log dir, so the log scan at the end of the run reads these logs too. Against a reused dev
 * stack (not scanned), a temp dir instead of adding to the dev stack's logs.
 */
export function extraLogDir(name: string): string {
  const stack = inject('stack');
  const parent = stack.reused ? tmpdir() : join(stack.logDir, 'extra');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${name}-`));
}
