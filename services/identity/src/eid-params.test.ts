import { describe, expect, it } from 'vitest';
import {
  checkClaimsRequest,
  EidParamError,
  methodOf,
  parseDigestsParam,
  requestedDigests,
  withDigestsClaim,
} from './eid-params.js';

const d = (c: string) => c.repeat(64);

describe('identity method (acr_values)', () => {
  it('is the first of the requested values, any well-formed name', () => {
    expect(methodOf('nbid-sign')).toBe('nbid-sign');
    expect(methodOf('mitid.substantial nbid')).toBe('mitid.substantial');
    expect(methodOf('  ftn_sign  ')).toBe('ftn_sign');
    expect(methodOf('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('is required and must be letters, digits, . _ - of at most 64', () => {
    for (const bad of [undefined, '', ' ', 'nbid sign!', 'x'.repeat(65), 'nbid <b>', 'bankid/se']) {
      expect(() => methodOf(bad)).toThrow(EidParamError);
    }
  });
});

describe('esign_digests', () => {
  it('parses 1 to 50 comma-separated lowercase hex SHA-256 digests, in order', () => {
    expect(parseDigestsParam(d('a'))).toEqual([d('a')]);
    expect(parseDigestsParam(`${d('b')},${d('a')},${d('b')}`)).toEqual([d('b'), d('a'), d('b')]);
    const fifty = Array.from({ length: 50 }, () => d('0'));
    expect(parseDigestsParam(fifty.join(','))).toHaveLength(50);
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      d('A'),
      d('g'),
      'a'.repeat(63),
      'a'.repeat(65),
      `${d('a')},`,
      `,${d('a')}`,
      `${d('a')}, ${d('b')}`,
      Array.from({ length: 51 }, () => d('0')).join(','),
      'x'.repeat(100_000),
    ]) {
      expect(() => parseDigestsParam(bad), bad.slice(0, 70)).toThrow(EidParamError);
    }
  });

  it('travels as an essential request for the esign_digests claim, merged into the claims parameter', () => {
    expect(JSON.parse(withDigestsClaim(undefined, [d('a')]))).toEqual({
      id_token: { esign_digests: { essential: true, values: [d('a')] } },
    });
    const merged = withDigestsClaim(JSON.stringify({ id_token: { name: null }, userinfo: {} }), [d('a')]);
    expect(JSON.parse(merged)).toEqual({
      id_token: { name: null, esign_digests: { essential: true, values: [d('a')] } },
      userinfo: {},
    });
    const twice = JSON.stringify({ id_token: { esign_digests: { values: [d('b')] } } });
    expect(() => withDigestsClaim(twice, [d('a')])).toThrow(/both/);
  });

  it('may be asked for in the claims parameter directly, with valid values in the ID token only', () => {
    expect(() => checkClaimsRequest({ id_token: { name: null } })).not.toThrow();
    expect(() => checkClaimsRequest({ id_token: { esign_digests: { values: [d('c')] } } })).not.toThrow();
    for (const bad of [
      { id_token: { esign_digests: null } },
      { id_token: { esign_digests: { value: d('c') } } },
      { id_token: { esign_digests: { values: ['nope'] } } },
      { id_token: { esign_digests: { values: [] } } },
      { userinfo: { esign_digests: null } },
    ]) {
      expect(() => checkClaimsRequest(bad), JSON.stringify(bad)).toThrow(EidParamError);
    }
  });

  it('reads the requested digests back from a claims request member, or nothing', () => {
    expect(requestedDigests({ essential: true, values: [d('a')] })).toEqual([d('a')]);
    for (const none of [undefined, null, {}, { value: d('a') }, { values: ['x'] }]) {
      expect(requestedDigests(none)).toBeUndefined();
    }
  });
});
