import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveClientCredentials, signatureTypesOf } from './index.js';

const broker = {
  type: 'oidc',
  issuer: 'https://broker.example.test',
  clientId: 'esign',
  clientSecretEnv: 'BROKER_SECRET',
  authorizationParams: { acr_values: 'urn:bankid' },
  claims: { 'national-id': 'nin' },
  signatureTypes: ['AUTHENTICATION_BASED', 'SIGNED_STATEMENT'],
  displayName: { en: 'BankID', nb: 'BankID' },
};
const sms = { type: 'one-time-code', channel: 'SMS', displayName: { en: 'Code by text message' } };
const inline = (methods: Record<string, unknown>) => JSON.stringify({ methods });

/** The problems of a ConfigError thrown by `load`. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('no ConfigError');
}

describe('identity providers', () => {
  it('are none unless configured (no test eID built in)', () => {
    expect([...loadConfig({}).identityProviders.methods.keys()]).toEqual([]);
  });

  it('reads several providers inline or from a file, with defaults filled in', () => {
    const env = { IDENTITY_PROVIDERS: inline({ 'nbid-sign': broker, 'sms-otp': sms }) };
    const { methods, setting } = loadConfig(env).identityProviders;
    expect(setting).toBe('IDENTITY_PROVIDERS');
    expect(methods.get('nbid-sign')).toMatchObject({ scopes: ['openid', 'profile'], claims: { 'national-id': 'nin' } });
    expect(signatureTypesOf(methods.get('sms-otp')!)).toEqual(['AUTHENTICATION_BASED']);
    const file = join(mkdtempSync(join(tmpdir(), 'idp-')), 'providers.json');
    writeFileSync(file, inline({ mitid: { ...broker, signatureTypes: undefined } }));
    const fromFile = loadConfig({ IDENTITY_PROVIDERS_FILE: file }).identityProviders;
    expect(fromFile.setting).toBe('IDENTITY_PROVIDERS_FILE');
    expect(signatureTypesOf(fromFile.methods.get('mitid')!)).toEqual(['AUTHENTICATION_BASED']);
  });

  it('refuses a bad entry at start, naming the setting, the method and the field', () => {
    const problems = problemsOf(() =>
      loadConfig({
        IDENTITY_PROVIDERS: inline({
          a: { ...broker, clientSecret: 'x' },
          b: { ...broker, displayName: { nb: 'BankID' } },
          c: { ...broker, authorizationParams: { nonce: 'fixed' } },
          d: { ...sms, channel: 'FAX' },
        }),
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IDENTITY_PROVIDERS: methods\.a: needs exactly one of clientSecret/),
        expect.stringMatching(/^IDENTITY_PROVIDERS: methods\.b\.displayName: needs an "en" entry/),
        expect.stringMatching(/^IDENTITY_PROVIDERS: methods\.c\.authorizationParams\.nonce: is set by the portal/),
        expect.stringMatching(/^IDENTITY_PROVIDERS: methods\.d\.channel/),
      ]),
    );
    expect(problemsOf(() => loadConfig({ IDENTITY_PROVIDERS_FILE: '/nonexistent/providers.json' }))).toEqual([
      'IDENTITY_PROVIDERS_FILE: cannot read /nonexistent/providers.json (ENOENT)',
    ]);
  });

  it('resolves client credentials at the portal start, naming a missing secret or key file', () => {
    const providers = loadConfig({
      IDENTITY_PROVIDERS: inline({
        'nbid-sign': broker,
        keyed: { ...broker, clientSecretEnv: undefined, privateKeyJwt: { keyFile: '/nonexistent/key.pem' } },
      }),
    }).identityProviders;
    expect(problemsOf(() => resolveClientCredentials(providers, {}))).toEqual([
      'IDENTITY_PROVIDERS: methods.nbid-sign.clientSecretEnv: the environment variable BROKER_SECRET is not set',
      'IDENTITY_PROVIDERS: methods.keyed.privateKeyJwt.keyFile: cannot read /nonexistent/key.pem (ENOENT)',
    ]);
    const only = loadConfig({ IDENTITY_PROVIDERS: inline({ 'nbid-sign': broker }) }).identityProviders;
    expect(resolveClientCredentials(only, { BROKER_SECRET: 's3cret' }).get('nbid-sign')).toEqual({ secret: 's3cret' });
  });
});
