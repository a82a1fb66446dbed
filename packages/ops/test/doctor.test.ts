import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@esign/devstack';
import { describe, expect, inject, it } from 'vitest';
import type { DoctorItem } from '../src/commands/doctor.js';
import { ops } from './run.js';

type Report = { ok: boolean; items: DoctorItem[] };
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const verdicts = (r: Report) => Object.fromEntries(r.items.map((i) => [i.item, i.verdict]));

// `doctor` against the integration stack: every dependency reachable; then with some of them wrong.
describe('ops doctor', () => {
  const env = inject('stack').env;

  it('gives every item of a healthy stack a verdict, and exits 0 through npm run ops', () => {
    const run = spawnSync('npm', ['run', '-s', 'ops', '--', 'doctor', '--json'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(verdicts(report)).toEqual({
      configuration: 'ok',
      temporal: 'ok',
      workers: 'ok',
      redis: 'ok',
      s3: 'ok',
      smtp: 'ok',
      twilio: 'ok',
      oidc: 'ok',
      gateway: 'ok',
      // the test stack runs with the dev defaults and the dev clients file (plain secrets)
      secrets: 'warn',
      'clients-file': 'warn',
    });
    expect(report.items.find((i) => i.item === 'secrets')!.detail).toContain('NOTIFICATION_SIGNING_SECRET');
  });

  it('fails the items that are down or misconfigured, names why, and exits 1', async () => {
    const closed = await freePort();
    const broken = await ops(['doctor', '--json'], {
      ...env,
      REDIS_URL: `redis://127.0.0.1:${closed}`,
      S3_BUCKET_ARCHIVE: 'no-such-bucket',
      SMTP_PORT: String(closed),
    });
    expect(broken.code).toBe(1);
    const report = broken.json<Report>();
    expect(verdicts(report)).toMatchObject({ redis: 'fail', s3: 'fail', smtp: 'fail', temporal: 'ok', workers: 'ok' });
    expect(report.items.find((i) => i.item === 's3')!.detail).toContain('no-such-bucket');

    const invalid = await ops(['doctor'], { ...env, TEMPORAL_ADDRESS: 'not an address' });
    expect(invalid.code).toBe(1);
    expect(invalid.out).toMatch(/configuration\s+FAIL\s+TEMPORAL_ADDRESS: must be host:port/);
    expect(invalid.out).toMatch(/redis\s+FAIL\s+not checked: the configuration is invalid/);
  });
});
