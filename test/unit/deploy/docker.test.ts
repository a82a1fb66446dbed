import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, SERVICE_NAMES, TOOL_ENTRIES } from '../../../scripts/build-services.mjs';
import { ROOT, toolPath } from '../../../scripts/tools.mjs';

const DEPLOY = join(ROOT, 'deploy');
const HADOLINT_CONFIG = join(DEPLOY, 'docker', '.hadolint.yaml');

function dockerfiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? dockerfiles(join(dir, e.name))
      : /^Dockerfile(\..+)?$|\.Dockerfile$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function instructions(file: string): string[] {
  return readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Instructions per stage, keyed by the stage's name (or its index). */
function stages(file: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of instructions(file)) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.set(from[1] ?? String(result.size), (current = []));
    current.push(line);
  }
  return result;
}

const FILES = dockerfiles(DEPLOY);

describe('Dockerfiles under deploy/', () => {
  it('finds the service image', () => {
    expect(FILES.map((f) => relative(ROOT, f))).toContain('deploy/docker/Dockerfile');
  });

  it.each(FILES.map((f) => [relative(ROOT, f), f]))('%s passes hadolint', (_name, file) => {
    const hadolint = toolPath('hadolint');
    expect(existsSync(hadolint), `hadolint missing at ${hadolint}: run 'node scripts/bootstrap.mjs'`).toBe(true);
    const result = spawnSync(hadolint, ['--config', HADOLINT_CONFIG, '--no-color', file], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(FILES.map((f) => [relative(ROOT, f), f]))('%s pins every base image by full version tag', (_name, file) => {
    const named = [...stages(file).keys()];
    const bases = instructions(file)
      .map((l) => /^FROM\s+(\S+)/i.exec(l)?.[1])
      .filter((b): b is string => b !== undefined && !named.includes(b));
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) {
      expect(base).not.toMatch(/\$|:latest\b/);
      // name:MAJOR.MINOR.PATCH[-variant], optionally with a digest.
      expect(base).toMatch(/^[\w./-]+:\d+\.\d+\.\d+(-[\w.-]+)?(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it.each(FILES.map((f) => [relative(ROOT, f), f]))('%s runs as a non-root user', (_name, file) => {
    const final = [...stages(file).values()].at(-1) ?? [];
    const users = final.filter((l) => /^USER\s/i.test(l));
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)?.split(/\s+/)[1]?.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('the service image runs node in exec form, with production dependencies only', () => {
    const all = stages(join(DEPLOY, 'docker', 'Dockerfile'));
    const runtime = [...all.values()].at(-1) ?? [];
    expect(runtime).toContain('ENTRYPOINT ["node"]');
    expect(runtime.find((l) => /^CMD\s/i.test(l))).toMatch(/^CMD \[/);
    // The runtime stage installs nothing with pnpm/npm and copies node_modules only from the production install.
    expect(runtime.filter((l) => /\b(pnpm|npm|yarn)\b/.test(l) && /^RUN\s/i.test(l))).toEqual([]);
    const copies = runtime.filter((l) => /^COPY\s/i.test(l) && /node_modules/.test(l));
    expect(copies).toEqual([expect.stringMatching(/--from=prod-deps\b/)]);
    const prodDeps = (all.get('prod-deps') ?? []).join('\n');
    expect(prodDeps).toMatch(/pnpm install --prod --frozen-lockfile/);
    expect(prodDeps).not.toMatch(/--dev\b|--no-optional|-D\b|NODE_ENV=development/);
    expect(prodDeps).toMatch(/--filter '!@esign\/devstack'/);
  });
});

// Bundling every service takes a few seconds; the workflow bundle (webpack) is left to the integration test.
describe('scripts/build-services.mjs', () => {
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'esign-build-'));
    // Linked from the workspace, as the image's /app/node_modules holds the external packages.
    await buildServices({ outDir: join(out, 'dist'), workflowBundle: false, linkExternals: true });
  }, 60_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes one bundle per service and the assets the services read next to their sources', () => {
    for (const name of SERVICE_NAMES) expect(existsSync(join(out, 'dist', 'services', `${name}.mjs`))).toBe(true);
    expect(existsSync(join(out, 'dist', 'static'))).toBe(true);
    expect(existsSync(join(out, 'dist', 'dev-clients.json'))).toBe(true);
    // No test eID in the image: no test people, no signing-portal client in its clients file.
    expect(existsSync(join(out, 'dist', 'dev-identities.json'))).toBe(false);
    expect(existsSync(join(out, 'dist', 'test-eid-clients.json'))).toBe(false);
    const shipped = readFileSync(join(out, 'dist', 'dev-clients.json'), 'utf8');
    expect(shipped).not.toContain('signing-portal');
    for (const name of Object.keys(TOOL_ENTRIES))
      expect(existsSync(join(out, 'dist', 'bin', `${name}.mjs`))).toBe(true);
  });

  it('the operator CLI bundle runs under plain node: usage, and a doctor that names an invalid configuration', () => {
    const ops = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(out, 'dist', 'bin', 'ops.mjs'), ...args], {
        cwd: out,
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env.PATH, ...env },
      });
    const help = ops(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run ops');
    const doctor = ops(['doctor', '--json'], { TEMPORAL_ADDRESS: 'nowhere' });
    expect(doctor.status).toBe(1);
    const report = JSON.parse(doctor.stdout) as { ok: boolean; items: Array<{ item: string; verdict: string }> };
    expect(report.ok).toBe(false);
    expect(report.items[0]).toMatchObject({ item: 'configuration', verdict: 'fail' });
  });

  it('the gateway bundle runs under plain node and rejects an invalid configuration', () => {
    const result = spawnSync(process.execPath, [join(out, 'dist', 'services', 'gateway.mjs')], {
      cwd: out,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', GATEWAY_PORT: 'notaport' },
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('GATEWAY_PORT');
  });
});
