import { describe, expect, it } from 'vitest';
import { ClientsFileError, loadClients, parseClients } from './clients.js';
import { DEV_CLIENTS_FILE } from './config.js';
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
  it('ships exactly the two demo merchants', () => {
    const clients = loadClients(DEV_CLIENTS_FILE);
    expect(clients.map((c) => [c.clientId, c.merchantId])).toEqual([
      ['demo-merchant', 'demo-merchant'],
      ['other-merchant', 'other-merchant'],
    ]);
    expect(clients.map((c) => c.verifier)).toEqual([
      { kind: 'plain', secret: 'demo-secret' },
      { kind: 'plain', secret: 'other-secret' },
    ]);
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
