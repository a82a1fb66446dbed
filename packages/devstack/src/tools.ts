import { existsSync } from 'node:fs';
import { ROOT, toolPath } from '../../../scripts/tools.mjs';

export { ROOT };

const ENV_OVERRIDES = {
  temporal: 'TEMPORAL_BIN',
  'temporal-test-server': 'TEMPORAL_TEST_SERVER_BIN',
  weed: 'WEED_BIN',
  pyhanko: 'PYHANKO_BIN',
  certomancer: 'CERTOMANCER_BIN',
  // The venv's interpreter, for scripts on pyHanko's API.
  python: 'ESIGN_PYTHON_BIN',
} as const;

/** Absolute path of a server binary: from its env override, else the project's .tools folder. */
export function tool(name: keyof typeof ENV_OVERRIDES): string {
  const path = process.env[ENV_OVERRIDES[name]] ?? toolPath(name);
  if (!existsSync(path)) {
    throw new Error(`${name} not found at ${path}: run 'node scripts/bootstrap.mjs' (or set ${ENV_OVERRIDES[name]})`);
  }
  return path;
}
