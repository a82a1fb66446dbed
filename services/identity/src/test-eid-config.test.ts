import { describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  browse,
  CookieJar,
  pkce,
  startTestIdentity,
  tempDir,
  writeClientsFile,
} from './test-support.js';

// Whether the test eID exists, and where its redirect URIs come from.
describe('test eID configuration', () => {
  it('is off without a signing-portal client: discovery is client credentials only, as before', async () => {
    const dir = tempDir();
    const clients = [{ clientId: 'm1', secret: 'm1-secret', merchantId: 'm1', name: 'M1' }];
    const idp = await startTestIdentity({ IDENTITY_CLIENTS_FILE: writeClientsFile(dir, { clients }) }, dir);
    try {
      const doc = (await (await fetch(idp.discoveryUrl)).json()) as Record<string, unknown>;
      expect(doc.grant_types_supported).toEqual(['client_credentials']);
      expect(doc.response_types_supported).toEqual([]);
      expect(doc.scopes_supported).toEqual(['signicat-api', 'openid']);
      expect(doc.claims_parameter_supported).toBe(false);
      expect(doc).not.toHaveProperty('acr_values_supported');
    } finally {
      await idp.close();
    }
  });

  it('takes the redirect URIs from IDENTITY_PORTAL_REDIRECT_URIS over the file and SIGNING_PORTAL_URL', async () => {
    const dir = tempDir();
    const clients = [
      { kind: 'signing-portal', clientId: 'p1', secret: 'p1-secret', redirectUris: ['http://file.test/cb'] },
    ];
    const env = {
      IDENTITY_CLIENTS_FILE: writeClientsFile(dir, { clients }),
      SIGNING_PORTAL_URL: 'http://portal.test',
      IDENTITY_PORTAL_REDIRECT_URIS: 'http://127.0.0.1:9999/std/callback, http://localhost:9999/std/callback',
    };
    const idp = await startTestIdentity(env, dir);
    try {
      const ask = (redirectUri: string) => {
        const url = new URL(authorizationUrl(idp.issuer, { pkce: pkce(), state: 's', nonce: 'n' }));
        url.searchParams.set('client_id', 'p1');
        url.searchParams.set('redirect_uri', redirectUri);
        return browse(new CookieJar(), url.href);
      };
      expect((await ask('http://localhost:9999/std/callback')).status).toBe(303);
      expect((await ask('http://127.0.0.1:9999/std/callback')).status).toBe(303);
      expect((await ask('http://file.test/cb')).status).toBe(400);
      expect((await ask('http://portal.test/std/callback')).status).toBe(400);
    } finally {
      await idp.close();
    }
  });
});
