import { loadConfig } from '@esign/config';
import { EXAMPLE_SIGNING_ORDER, validateSigningOrder, type SigningOrder } from '@esign/contracts';
import { describe, expect, it } from 'vitest';
import { serverSettingViolations } from './validate.js';

const config = loadConfig({
  IDENTITY_PROVIDERS: JSON.stringify({
    methods: {
      nbid: {
        type: 'oidc',
        issuer: 'https://broker.example.test',
        clientId: 'esign',
        clientSecretEnv: 'BROKER_SECRET',
        displayName: { en: 'BankID' },
      },
      'sms-otp': { type: 'one-time-code', channel: 'SMS', displayName: { en: 'Code by text message' } },
    },
  }),
});

/** The example order with its first task's signature method and authentication replaced. */
function order(signatureMethods: unknown[], authentication?: unknown): SigningOrder {
  const body = structuredClone(EXAMPLE_SIGNING_ORDER) as unknown as { tasks: Record<string, unknown>[] };
  body.tasks[0]!.signatureMethods = signatureMethods;
  if (authentication) body.tasks[0]!.authentication = authentication;
  const result = validateSigningOrder(body);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return result.value;
}

describe('identity methods at order creation', () => {
  it('accepts configured methods serving the signature type', () => {
    expect(serverSettingViolations(order([{ name: 'nbid', type: 'AUTHENTICATION_BASED' }]), config)).toEqual([]);
  });

  it('refuses an unknown method with a violation naming it, wherever it appears', () => {
    const violations = serverSettingViolations(
      order([{ name: 'bankid-xx', type: 'AUTHENTICATION_BASED' }], { methods: ['nope'], artifact: false }),
      config,
    );
    expect(violations).toEqual(
      expect.arrayContaining([
        {
          propertyPath: 'tasks[0].signatureMethods[0].name',
          message: expect.stringContaining(
            '"bankid-xx", which is not configured on this server (configured: nbid, sms-otp)',
          ),
        },
        { propertyPath: 'tasks[0].authentication.methods[0]', message: expect.stringContaining('"nope"') },
      ]),
    );
  });

  it('refuses a signature type the method does not serve', () => {
    const violations = serverSettingViolations(
      order([
        { name: 'nbid', type: 'SIGNED_STATEMENT' },
        { name: 'sms-otp', type: 'SIGNED_STATEMENT' },
      ]),
      config,
    );
    expect(violations.map((v) => [v.propertyPath, v.message])).toEqual([
      [
        'tasks[0].signatureMethods[0].type',
        'the identity method "nbid" does not serve SIGNED_STATEMENT signatures on this server (it serves: AUTHENTICATION_BASED)',
      ],
      [
        'tasks[0].signatureMethods[1].type',
        'the identity method "sms-otp" does not serve SIGNED_STATEMENT signatures on this server (it serves: AUTHENTICATION_BASED)',
      ],
    ]);
  });
});
