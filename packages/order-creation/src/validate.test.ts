import { loadConfig } from '@esign/config';
import { EXAMPLE_SIGNING_ORDER, validateSigningOrder, type SigningOrder } from '@esign/contracts';
import { describe, expect, it } from 'vitest';
import { forwardingWithoutEffect, serverSettingViolations } from './validate.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** The example order, validated, with its first task's fields replaced by `fields` (undefined ones left out). */
function exampleWith(fields: Record<string, unknown>): SigningOrder {
  const body = structuredClone(EXAMPLE_SIGNING_ORDER) as unknown as { tasks: Record<string, unknown>[] };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.tasks[0]![name] = value;
  const result = validateSigningOrder(body);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return result.value;
}

/** The example order with its first task's signature method and authentication replaced. */
const order = (signatureMethods: unknown[], authentication?: unknown) =>
  exampleWith({ signatureMethods, authentication });

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

describe('forwarding at order creation', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'esign-configurations-')), 'configurations.json');
  writeFileSync(file, JSON.stringify({ forwardable: { allowForward: true } }));
  const withFile = loadConfig({ SIGNING_CONFIGURATIONS_FILE: file });
  const notifications = [
    { id: 'a', type: 'EMAIL', recipient: 'ola@example.test', message: 'x', schedule: [{ triggerStatus: 'FORWARDED' }] },
    { id: 'b', type: 'URL', recipient: 'https://merchant.example/cb', schedule: [{ triggerStatus: 'FORWARDED' }] },
    {
      id: 'c',
      type: 'SMS',
      recipient: '+4791234567',
      message: 'x',
      schedule: [{ triggerStatus: 'CREATED' }, { triggerStatus: 'FORWARDED' }],
    },
  ];
  const forwardOrder = (configuration?: string) => exampleWith({ notifications, configuration });

  it('reports FORWARDED schedule entries of a task whose configuration does not allow forwarding', () => {
    expect(forwardingWithoutEffect(forwardOrder(), withFile)).toEqual([
      'tasks[0].notifications[0].schedule[0].triggerStatus',
      'tasks[0].notifications[1].schedule[0].triggerStatus',
      'tasks[0].notifications[2].schedule[1].triggerStatus',
    ]);
  });

  it('reports the recipient of an e-mail or SMS sent only on FORWARDED (it goes to the new signer)', () => {
    expect(forwardingWithoutEffect(forwardOrder('forwardable'), withFile)).toEqual([
      'tasks[0].notifications[0].recipient',
    ]);
  });
});
