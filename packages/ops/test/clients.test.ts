import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_CLIENTS_FILE } from '@esign/identity/config';
import { merchantCallbackSecret } from '@esign/notification';
import { startTestIdentity, tempDir, type TestIdentity } from '../../../services/identity/src/test-support.js';
import { tokenRequest } from '../../../test/support/token.js';
import { ops } from './run.js';

// Merchant clients managed through the CLI, proven with the real identity service: it is started on the edited file
// (as a restart applies a change) and asked for tokens.
describe('ops clients', () => {
  let identity: TestIdentity | undefined;
  const dir = tempDir();
  const file = join(dir, 'clients.json');
  copyFileSync(DEV_CLIENTS_FILE, file);
  const env = { IDENTITY_CLIENTS_FILE: file };
  const restart = async () => {
    await identity?.close();
    identity = await startTestIdentity({ IDENTITY_CLIENTS_FILE: file }, dir);
  };
  const token = (clientId: string, secret: string) => tokenRequest(identity!.tokenUrl, clientId, secret);
  afterEach(async () => {
    await identity?.close();
    identity = undefined;
  });

  it('adds a client with a generated secret, rotates it, and revokes it', async () => {
    const added = await ops(['clients', 'add', 'acme-api', '--merchant', 'acme', '--name', 'Acme Ltd', '--json'], env);
    expect(added.code, added.err).toBe(0);
    const { secret } = added.json<{ secret: string }>();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
    await restart();
    const res = await token('acme-api', secret);
    expect(res.status).toBe(200);
    const jwt = ((await res.json()) as { access_token: string }).access_token;
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())).toMatchObject({ merchant_id: 'acme' });

    const rotated = await ops(['clients', 'rotate', 'acme-api', '--json'], env);
    expect(rotated.code).toBe(0);
    const next = rotated.json<{ secret: string }>().secret;
    expect(next).not.toBe(secret);
    await restart();
    expect((await token('acme-api', secret)).status).toBe(401);
    expect((await token('acme-api', next)).status).toBe(200);

    const revoked = await ops(['clients', 'revoke', 'acme-api'], env);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('restart the identity service');
    await restart();
    expect((await token('acme-api', next)).status).toBe(401);
    expect((await token('demo-merchant', 'demo-secret')).status).toBe(200);
  });

  it('takes a chosen secret on stdin, lists clients without secrets, and refuses what would break the file', async () => {
    const added = await ops(
      ['clients', 'add', 'beta-api', '--merchant', 'beta', '--name', 'Beta', '--secret-stdin', '--json'],
      env,
      'chosen-secret-123\n',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.json()).not.toHaveProperty('secret');
    await restart();
    expect((await token('beta-api', 'chosen-secret-123')).status).toBe(200);

    const list = await ops(['clients', 'list', '--json'], env);
    expect(list.json<{ clients: unknown[] }>().clients).toEqual(
      expect.arrayContaining([
        { clientId: 'beta-api', kind: 'merchant', merchantId: 'beta', name: 'Beta', secret: 'hashed' },
        {
          clientId: 'demo-merchant',
          kind: 'merchant',
          merchantId: 'demo-merchant',
          name: 'Demo merchant',
          secret: 'plain',
        },
      ]),
    );
    expect(list.out).not.toContain('demo-secret');

    const before = readFileSync(file, 'utf8');
    expect((await ops(['clients', 'add', 'beta-api', '--merchant', 'beta', '--name', 'Again'], env)).code).toBe(1);
    expect((await ops(['clients', 'revoke', 'dev-operator'], env)).err).toContain('not a merchant client');
    expect((await ops(['clients', 'rotate', 'nobody'], env)).err).toContain('no client nobody');
    expect((await ops(['clients', 'add', 'bad id', '--merchant', 'x', '--name', 'X'], env)).err).toContain('invalid');
    expect((await ops(['clients', 'add', 'gamma', '--name', 'Gamma'], env)).code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('prints the callback secret of a merchant as the notification worker derives it', async () => {
    const master = 'a-production-master-secret-0123456789';
    const run = await ops(['callback-secret', 'acme'], { NOTIFICATION_SIGNING_SECRET: master });
    expect(run.code).toBe(0);
    expect(run.out).toBe(`${merchantCallbackSecret(master, 'acme')}\n`);
    expect((await ops(['callback-secret', 'not a merchant'], { NOTIFICATION_SIGNING_SECRET: master })).code).toBe(1);
  });
});
