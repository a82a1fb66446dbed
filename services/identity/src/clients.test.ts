import { describe, expect, it } from 'vitest';
import { ClientsFileError, loadClients, parseClients } from './clients.js';
import { DEV_CLIENTS_FILE, TEST_EID_CLIENTS_FILE } from './config.js';
import { hashSecret } from './secrets.js';
import { tempDir, writeClientsFile } from './test-support.js';

const entry = { clientId: 'm1', secret: 'm1-secret', merchantId: 'merchant-1', name: 'Merchant 1' };

function problemsOf(content: unknown): string {
  try {
    parseClients(content, 'clients.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ClientsFileError);
    return (err as Error).message;
  }
  throw new Error('expected the clients file to be refused');
}

describe('clients file', () => {
  it("ships the two demo merchants, and keeps the test eID client in the dev stack's own file", () => {
    const shipped = loadClients(DEV_CLIENTS_FILE);
    expect(shipped.map((c) => [c.kind, c.clientId, c.kind === 'merchant' ? c.merchantId : undefined])).toEqual([
      ['merchant', 'demo-merchant', 'demo-merchant'],
      ['merchant', 'other-merchant', 'other-merchant'],
      ['operator', 'dev-operator', undefined],
    ]);
    const dev = loadClients(TEST_EID_CLIENTS_FILE);
    expect(dev.map((c) => [c.kind, c.clientId])).toEqual([
      ['merchant', 'demo-merchant'],
      ['merchant', 'other-merchant'],
      ['signing-portal', 'esign-portal'],
      ['operator', 'dev-operator'],
    ]);
    expect(dev.map((c) => c.verifier)).toEqual([
      { kind: 'plain', secret: 'demo-secret' },
      { kind: 'plain', secret: 'other-secret' },
      { kind: 'plain', secret: 'portal-dev-secret' },
      { kind: 'plain', secret: 'dev-operator-secret' },
    ]);
    // Its redirect URIs come from the environment (SIGNING_PORTAL_URL or IDENTITY_PORTAL_REDIRECT_URIS).
    expect(dev[2]).not.toHaveProperty('redirectUris');
  });

  it('reads signing-portal entries, which need no merchant and may name their redirect URIs', () => {
    const portal = { kind: 'signing-portal', clientId: 'p', secret: 'p-secret-1' };
    expect(
      parseClients({ clients: [entry, { ...portal, redirectUris: ['https://portal.test/std/callback'] }] }),
    ).toEqual([
      { kind: 'merchant', clientId: 'm1', merchantId: 'merchant-1', name: 'Merchant 1', verifier: expect.anything() },
      {
        kind: 'signing-portal',
        clientId: 'p',
        name: 'Signing portal',
        redirectUris: ['https://portal.test/std/callback'],
        verifier: { kind: 'plain', secret: 'p-secret-1' },
      },
    ]);
    const message = problemsOf({
      clients: [
        { ...portal, merchantId: 'x' },
        { ...portal, clientId: 'q', redirectUris: ['ftp://x/cb'] },
        { ...portal, clientId: 'r', redirectUris: ['https://x/cb#f'] },
        { ...portal, clientId: 's', redirectUris: [] },
      ],
    });
    expect(message).toContain('clients.0: Unrecognized key: "merchantId"');
    expect(message).toContain('clients.1.redirectUris.0');
    expect(message).toContain('clients.2.redirectUris.0: must not contain a fragment');
    expect(message).toContain('clients.3.redirectUris');
    expect(problemsOf({ clients: [entry, { ...portal, clientId: 'm1' }] })).toContain('clientId values must be unique');
  });

  it('reads a hashed secret into a scrypt verifier', async () => {
    const [client] = parseClients({ clients: [{ ...entry, secret: undefined, secretHash: await hashSecret('x') }] });
    expect(client?.verifier.kind).toBe('scrypt');
  });

  it('names the entry and field of each problem', () => {
    const message = problemsOf({
      clients: [
        { ...entry, merchantId: undefined },
        { ...entry, clientId: 'm2', secretHash: 'scrypt:bad' },
        { clientId: 'm3', merchantId: 'x', name: 'x' },
      ],
    });
    expect(message).toContain('clients.json');
    expect(message).toContain('clients.0.merchantId');
    expect(message).toContain('clients.1.secretHash');
    expect(message).toContain('clients.2: needs exactly one of secret, secretHash');
  });

  it('refuses duplicate client ids, unknown fields and an empty list', () => {
    expect(problemsOf({ clients: [entry, entry] })).toContain('clientId values must be unique');
    expect(problemsOf({ clients: [{ ...entry, merchant: 'x' }] })).toContain('merchant');
    expect(problemsOf({ clients: [] })).toContain('clients');
  });

  it('says when the file is missing or not JSON', () => {
    const dir = tempDir();
    expect(() => loadClients(`${dir}/missing.json`)).toThrow(/missing\.json:\n {2}- cannot read/);
    expect(() => loadClients(writeClientsFile(dir, '{ nope'))).toThrow(/not valid JSON/);
  });
});
