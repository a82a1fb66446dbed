import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientsFileError } from './clients.js';
import { IdentitiesFileError } from './identities.js';
import { hashSecret } from './secrets.js';
import { requestToken, startTestIdentity, tempDir, writeClientsFile } from './test-support.js';

describe('identity server with a custom clients file', () => {
  it('authenticates a client whose secret is stored as a scrypt hash', async () => {
    const dir = tempDir();
    const secretHash = await hashSecret('hashed-client-secret');
    const clients = [{ clientId: 'acme-api', secretHash, merchantId: 'acme', name: 'Acme' }];
    const idp = await startTestIdentity({ IDENTITY_CLIENTS_FILE: writeClientsFile(dir, { clients }) }, dir);
    try {
      const ok = await requestToken(idp.tokenUrl, { clientId: 'acme-api', secret: 'hashed-client-secret' });
      expect(ok.status).toBe(200);
      const claims = JSON.parse(Buffer.from(ok.body.access_token!.split('.')[1]!, 'base64url').toString());
      expect(claims).toMatchObject({ client_id: 'acme-api', merchant_id: 'acme' });

      // The stored hash itself is not a secret that works.
      const hash = await requestToken(idp.tokenUrl, { clientId: 'acme-api', secret: secretHash, via: 'post' });
      expect(hash.status).toBe(401);
      expect(hash.body.error).toBe('invalid_client');
      // Only the file's clients exist: the dev merchants are gone.
      expect((await requestToken(idp.tokenUrl, { clientId: 'demo-merchant', secret: 'demo-secret' })).status).toBe(401);
    } finally {
      await idp.close();
    }
  });

  it('refuses to start on a bad clients file, naming the file and the problem', async () => {
    const dir = tempDir();
    const file = writeClientsFile(dir, { clients: [{ clientId: 'x', secret: 'long-enough', name: 'X' }] });
    const start = startTestIdentity({ IDENTITY_CLIENTS_FILE: file }, dir);
    await expect(start).rejects.toThrow(ClientsFileError);
    await expect(start).rejects.toThrow(`Invalid clients file ${file}:\n  - clients.0.merchantId`);
  });

  it('refuses to start a test eID client without test people, naming both settings', async () => {
    const dir = tempDir();
    const clients = [{ kind: 'signing-portal', clientId: 'p1', secret: 'p1-secret' }];
    const file = writeClientsFile(dir, { clients });
    const start = startTestIdentity({ IDENTITY_CLIENTS_FILE: file, IDENTITY_TEST_IDENTITIES_FILE: '' }, dir);
    await expect(start).rejects.toThrow(/IDENTITY_TEST_IDENTITIES_FILE: not set, but .* \(IDENTITY_CLIENTS_FILE\)/);
  });

  it('refuses to start on a bad test identities file, naming it', async () => {
    const dir = tempDir();
    const file = join(dir, 'identities.json');
    writeFileSync(file, JSON.stringify({ identities: [] }));
    const start = startTestIdentity({ IDENTITY_TEST_IDENTITIES_FILE: file }, dir);
    await expect(start).rejects.toThrow(IdentitiesFileError);
    await expect(start).rejects.toThrow(`Invalid test identities file ${file}`);
  });
});
