// The chart and its tools: helm and kubernetes-validate as bootstrap installed them, run offline, and the chart
// rendered to manifests once per values set, on first use.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT, toolPath } from '../../../../scripts/tools.mjs';

export { ROOT };
import type { Manifest } from './manifests.js';

export const CHART = join(ROOT, 'deploy', 'helm', 'esign');
export const PRODUCTION_VALUES = join(CHART, 'ci', 'production-values.yaml');
export const KUBE_VERSION = '1.33.0';
export const WORKERS = ['orchestrator', 'document-storage', 'sealing', 'notification', 'archive'];
export const TIMEOUT = 120_000;

/** A bootstrap-installed tool; a missing one fails the test (never skips it). */
export function requireTool(name: 'helm' | 'kubernetes-validate'): string {
  const path = toolPath(name);
  if (!existsSync(path)) {
    throw new Error(`${name} not found at ${path}: run 'node scripts/bootstrap.mjs' to install it`);
  }
  return path;
}

export interface RunResult {
  status: number | null;
  output: string;
  stdout: string;
}

export function run(command: string, args: string[]): RunResult {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}\n${r.stderr}` };
}

export function runOk(command: string, args: string[]): string {
  const r = run(command, args);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.output}`);
  return r.stdout;
}

export interface Rendered {
  file: string;
  manifests: Manifest[];
}

export function render(dir: string, name: string, valuesFiles: string[]): Rendered {
  const helm = requireTool('helm');
  const args = ['template', 'esign', CHART, '--namespace', 'esign', '--kube-version', KUBE_VERSION];
  for (const f of valuesFiles) args.push('-f', f);
  const text = runOk(helm, args);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const manifests = parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${name}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
  return { file, manifests };
}

// Set by the beforeAll that renderedChart() registers, read by the tests through this live binding (each test file
// has its own copy of this module).
/** The temp dir the suite writes its values files and renderings to. */
export let dir: string;
const cache = new Map<string, Rendered>();

/** Rendered once, on first use, so each test fails on its own when helm does. */
export const rendered = (which: 'defaults' | 'production'): Rendered => {
  let r = cache.get(which);
  if (!r) {
    r = render(dir, which, which === 'production' ? [PRODUCTION_VALUES] : []);
    cache.set(which, r);
  }
  return r;
};

/** Registers the suite's hooks (call it inside a describe): a temp dir, removed after. */
export function renderedChart(): void {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'esign-helm-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
}
