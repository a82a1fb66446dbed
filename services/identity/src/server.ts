import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@esign/observability';
import { closeServer, listen } from '@esign/service-runtime';
import { ConfigError } from '@esign/config';
import { loadClients, type ApiClient } from './clients.js';
import type { IdentityConfig } from './config.js';
import { loadIdentities, TestIdentities } from './identities.js';
import { loadOrCreateKeys } from './keys.js';
import { observeProvider } from './logging.js';
import { createIdentityProvider, MOUNT_PATH, type IdentityProvider } from './provider.js';

export interface StartIdentityServerOptions {
  config: IdentityConfig;
  /** Default: a JSON logger for service `identity` at config.logLevel. */
  logger?: Logger;
  /** Build the issuer on the URL the server listens on instead of config.publicUrl (tests on port 0). */
  advertiseListenUrl?: boolean;
}

export interface IdentityServer {
  port: number;
  /** The listening origin, e.g. `http://127.0.0.1:8090`. */
  url: string;
  issuer: string;
  close(): Promise<void>;
}

const isUnderMount = (url: string) => url === MOUNT_PATH || /^\/auth\/open[/?]/.test(url);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Loads the clients file and the keys (generating them on first start), listens, then builds the provider: so
 * `/readyz` answers 503 until the provider is initialised, and a port-0 server can name itself in the issuer.
 */
export async function startIdentityServer(opts: StartIdentityServerOptions): Promise<IdentityServer> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ service: 'identity', level: config.logLevel });
  const clients = loadClients(config.clientsFile);
  const identities = testIdentities(config, clients);
  const keys = await loadOrCreateKeys(config.keysFile);
  // Set once the provider is built, after listening; until then /readyz and the provider paths answer 503.
  const live: { identity?: IdentityProvider } = {};

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'identity' });
    const { identity } = live;
    if (url === '/readyz') {
      const checks = { provider: identity ? { ok: true } : { ok: false, error: 'initialising' } };
      return sendJson(res, identity ? 200 : 503, { service: 'identity', ready: !!identity, checks });
    }
    if (!isUnderMount(url)) return sendJson(res, 404, { error: 'not_found' });
    if (!identity) return sendJson(res, 503, { error: 'temporarily_unavailable' });
    identity.handle(req, res);
  });
  await listen(server, config.host, config.port);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let identity: IdentityProvider;
  try {
    const publicUrl = opts.advertiseListenUrl ? url : config.publicUrl;
    identity = createIdentityProvider({ config: { ...config, publicUrl }, clients, keys, identities, logger });
  } catch (err) {
    await closeServer(server);
    throw err;
  }
  observeProvider(identity.provider, logger);
  live.identity = identity;
  logger.info(
    {
      port,
      issuer: identity.issuer,
      clients: clients.length,
      testEid: clients.some((c) => c.kind === 'signing-portal'),
      kid: keys.jwks.keys[0]!.kid,
      keysCreated: keys.created,
    },
    'identity provider listening',
  );
  return { port, url, issuer: identity.issuer, close: () => closeServer(server) };
}

/**
 * The test eID's people, from IDENTITY_TEST_IDENTITIES_FILE; none without it. A signing-portal client without them
 * is a configuration mistake (a test eID nobody can log in to), refused at start naming both settings.
 */
function testIdentities(config: IdentityConfig, clients: ApiClient[]): TestIdentities {
  const portals = clients.some((c) => c.kind === 'signing-portal');
  if (!config.identitiesFile) {
    if (portals) {
      throw new ConfigError([
        `IDENTITY_TEST_IDENTITIES_FILE: not set, but ${config.clientsFile} (IDENTITY_CLIENTS_FILE) has a signing-portal client (the test eID)`,
      ]);
    }
    return new TestIdentities([]);
  }
  return loadIdentities(config.identitiesFile);
}
