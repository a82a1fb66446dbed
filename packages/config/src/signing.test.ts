import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

const TSA = 'http://127.0.0.1:9720/esign/tsa/tsa';
const PKCS11 = {
  SIGNING_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
  SIGNING_PKCS11_TOKEN_LABEL: 'esign-seal',
  SIGNING_PKCS11_KEY_LABEL: 'seal',
  SIGNING_PKCS11_PIN: '0123456789',
};

describe('signing settings', () => {
  it('seal at B-LTA when a TSA is configured, at B-B without one, or at the level asked for', () => {
    expect(loadConfig({}).signing.level).toBe('B-B');
    expect(loadConfig({ SIGNING_TSA_URL: TSA }).signing.level).toBe('B-LTA');
    expect(loadConfig({ SIGNING_TSA_URL: TSA, SIGNING_LEVEL: 'B-T' }).signing.level).toBe('B-T');
    expect(loadConfig({}).signing.archiveRenewalMarginDays).toBe(90);
  });

  it('refuse a level above B-B without a TSA, and an unknown level', () => {
    expect(() => loadConfig({ SIGNING_LEVEL: 'B-LT' })).toThrow(/SIGNING_LEVEL: B-LT needs SIGNING_TSA_URL/);
    expect(() => loadConfig({ SIGNING_LEVEL: 'LTA' })).toThrow(ConfigError);
  });

  it('take a PKCS#11 key from all four settings, and name the missing ones', () => {
    expect(loadConfig(PKCS11).signing.pkcs11).toEqual({
      module: '/usr/lib/softhsm/libsofthsm2.so',
      tokenLabel: 'esign-seal',
      keyLabel: 'seal',
      pin: '0123456789',
    });
    const { SIGNING_PKCS11_PIN: _pin, ...withoutPin } = PKCS11;
    expect(() => loadConfig(withoutPin)).toThrow(/missing SIGNING_PKCS11_PIN/);
    expect(() => loadConfig({ ...PKCS11, SIGNING_P12_FILE: '/x.p12' })).toThrow(/not both/);
    expect(loadConfig({}).signing.pkcs11).toBeUndefined();
  });
});
