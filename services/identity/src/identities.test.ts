import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accountIdFor,
  canonicalNationalId,
  DEV_IDENTITIES_FILE,
  IdentitiesFileError,
  loadIdentities,
  parseIdentities,
} from './identities.js';
import { tempDir } from './test-support.js';

const kari = {
  nationalId: '01017012345',
  name: 'Kari Nordmann',
  givenName: 'Kari',
  familyName: 'Nordmann',
  birthdate: '1970-01-01',
  country: 'NO',
};

function problemsOf(content: unknown): string {
  try {
    parseIdentities(content, 'ids.json');
  } catch (err) {
    expect(err).toBeInstanceOf(IdentitiesFileError);
    return (err as Error).message;
  }
  throw new Error('expected the identities file to be refused');
}

describe('test identities', () => {
  it('ships at least six people across Norway, Sweden, Denmark and Finland', () => {
    const { all } = loadIdentities(DEV_IDENTITIES_FILE);
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(new Set(all.map((i) => i.country))).toEqual(new Set(['NO', 'SE', 'DK', 'FI']));
    expect(all[0]).toMatchObject({ ...kari, accountId: accountIdFor('NO', '01017012345') });
  });

  it('finds a person by a typed national id regardless of spaces, hyphens and case, or by account id', () => {
    const ids = parseIdentities({ identities: [kari, { ...kari, nationalId: '010190-123A', country: 'FI' }] });
    expect(ids.byNationalId(' 010 170 12345 ')?.name).toBe('Kari Nordmann');
    expect(ids.byNationalId('010190123a')?.country).toBe('FI');
    expect(ids.byNationalId('01017012346')).toBeUndefined();
    expect(ids.byAccountId(accountIdFor('FI', '010190-123A'))?.nationalId).toBe('010190-123A');
    expect(ids.byAccountId('01017012345')).toBeUndefined();
  });

  it('derives a stable sub that is not the national id', () => {
    const sub = accountIdFor('NO', '01017012345');
    expect(sub).toMatch(/^test-eid-[0-9a-f]{32}$/);
    expect(sub).not.toContain('01017012345');
    expect(accountIdFor('NO', '010170-12345')).toBe(sub);
    expect(accountIdFor('SE', '01017012345')).not.toBe(sub);
    expect(canonicalNationalId('070777-123a')).toBe('070777123A');
  });

  it('names each problem of a bad file', () => {
    const message = problemsOf({
      identities: [
        { ...kari, birthdate: '1970-13-01' },
        { ...kari, nationalId: '0101<b>', country: 'Norway' },
        { ...kari, extra: 1 },
      ],
    });
    expect(message).toContain('ids.json');
    expect(message).toContain('identities.0.birthdate');
    expect(message).toContain('identities.1.nationalId');
    expect(message).toContain('identities.1.country');
    expect(message).toContain('identities.2: Unrecognized key');
    expect(problemsOf({ identities: [kari, { ...kari, nationalId: '010170-12345' }] })).toContain('unique');
    expect(problemsOf({ identities: [] })).toContain('identities');
  });

  it('says when the file is missing or not JSON', () => {
    const dir = tempDir();
    expect(() => loadIdentities(join(dir, 'missing.json'))).toThrow(IdentitiesFileError);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadIdentities(join(dir, 'bad.json'))).toThrow(/bad\.json/);
  });
});
