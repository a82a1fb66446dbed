// Benchmark (not a test): requests/s of a trivial route behind the gateway's real bearer-token check vs the same
// route without it, side by side in one run, against the real identity service's JWKS.
// Run: node --import tsx test/load/auth-overhead.ts [seconds-per-round]
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@esign/config';
import { authenticate, createTokenVerifier } from '@esign/gateway';
import { loadIdentityConfig, startIdentityServer } from '@esign/identity';
import { createLogger } from '@esign/observability';
import { listen } from '@esign/service-runtime';
import autocannon from 'autocannon';
import express, { type RequestHandler } from 'express';
import { alternate, median, table } from './measure.js';
import { tokenRequest } from '../support/token.js';

const seconds = Number(process.argv[2] ?? 5);
const ROUNDS = 3;

async function serve(guard?: RequestHandler): Promise<{ server: Server; url: string }> {
  const app = express();
  const ok: RequestHandler = (_req, res) => {
    res.json({ ok: true });
  };
  if (guard) app.get('/ping', guard, ok);
  else app.get('/ping', ok);
  const server = createServer(app);
  await listen(server, '127.0.0.1', 0);
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/ping` };
}

async function rps(url: string, headers: Record<string, string>): Promise<number> {
  const result = await autocannon({ url, headers, connections: 32, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const dataDir = mkdtempSync(join(tmpdir(), 'esign-bench-auth-'));
const identity = await startIdentityServer({
  config: loadIdentityConfig({ IDENTITY_PORT: '0', ESIGN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }),
  logger: createLogger({ service: 'identity', level: 'warn' }),
  advertiseListenUrl: true,
});
const tokenRes = await tokenRequest(`${identity.issuer}/connect/token`, 'demo-merchant', 'demo-secret', 'post');
const { access_token: token } = (await tokenRes.json()) as { access_token: string };
const auth = loadConfig({ AUTH_ISSUER: identity.issuer }).auth;
const open = await serve();
const guarded = await serve(authenticate(createTokenVerifier(auth)));
const uncached = await serve(authenticate(createTokenVerifier(auth, { cache: false })));

const runs = await alternate(ROUNDS, {
  open: () => rps(open.url, {}),
  authenticated: () => rps(guarded.url, { authorization: `Bearer ${token}` }),
  uncached: () => rps(uncached.url, { authorization: `Bearer ${token}` }),
});
const openRps = median(runs.open);
const authRps = median(runs.authenticated);
const uncachedRps = median(runs.uncached);
process.stdout.write(
  `\nAuth overhead: ${ROUNDS} alternating rounds of ${seconds}s, 32 connections, medians\n\n${table([
    { route: 'GET /ping without authentication', 'req/s': openRps },
    { route: 'GET /ping with bearer JWT validation', 'req/s': authRps },
    { route: 'GET /ping with JWT validation, verified-token cache off', 'req/s': uncachedRps },
    { route: 'ratio authenticated / open', 'req/s': authRps / openRps },
    { route: 'ratio authenticated without cache / open', 'req/s': uncachedRps / openRps },
  ])}\n`,
);
for (const s of [open.server, guarded.server, uncached.server]) s.close();
await identity.close();
rmSync(dataDir, { recursive: true, force: true });
