import { loadConfig } from '@esign/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHungServer, withinPatience, type HungServer } from '../../../../test/support/hung-server.js';
import { createTokenVerifier, TokenRejected } from './token-verifier.js';

// A token that is well-formed (so the verifier needs the issuer's keys to judge it).
const TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ.' + 'c2lnbmF0dXJl'.padEnd(342, 'A');

describe('identity provider deadline against an issuer that accepts and never answers', () => {
  let hung: HungServer;
  beforeAll(async () => {
    hung = await startHungServer();
  });
  afterAll(() => hung.close());

  for (const [what, env] of [
    ['discovery', { AUTH_ISSUER: 'http://127.0.0.1:PORT/auth/open' }],
    ['JWKS', { AUTH_ISSUER: 'http://127.0.0.1:PORT/auth/open', AUTH_JWKS_URI: 'http://127.0.0.1:PORT/jwks' }],
  ] as const) {
    it(`gives up on the issuer's ${what} within its deadline, as "cannot check now", not as a bad token`, async () => {
      const port = String(hung.port);
      const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('PORT', port)])));
      const verify = createTokenVerifier(config.auth, { cache: false, deadlineMs: 300 });
      const err = await withinPatience(verify(TOKEN)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).not.toContain('still waiting');
      expect((err as Error).message).toMatch(/timed? ?out/i);
      // authenticate.ts answers a TokenRejected 401 and anything else 503 "Tokens cannot be checked right now: the identity provider did not answer".
      expect(err).not.toBeInstanceOf(TokenRejected);
    });
  }
});
