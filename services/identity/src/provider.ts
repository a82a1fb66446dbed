import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@esign/observability';
import Provider from 'oidc-provider';
import type { ApiClient } from './clients.js';
import type { TestIdentities } from './identities.js';
import { createInteractionHandler } from './interaction.js';
import type { IdentityKeys } from './keys.js';
import { INTERACTION_PATH, MOUNT_PATH, providerConfiguration, type ProviderConfig } from './provider-config.js';
import { verifySecret } from './secrets.js';
import { ClientAuthThrottle } from './auth-throttle.js';
import type { IdentityConfig } from './config.js';
import { guardTokenEndpoint } from './token-guard.js';

export { INTERACTION_PATH, MOUNT_PATH } from './provider-config.js';

const INTERACTION_ROUTE = new RegExp(`^${INTERACTION_PATH}/([A-Za-z0-9_-]{1,64})(?:\\?.*)?$`);

export interface IdentityProvider {
  provider: Provider;
  issuer: string;
  /** Node request handler for paths under MOUNT_PATH; other paths are not its business. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Builds the OpenID provider, ready to mount under `/auth/open`: merchant API clients (client credentials), and the
 * test eID for signing-portal clients, with its login pages under `/auth/open/interaction/:uid`.
 */
export function createIdentityProvider(deps: {
  config: ProviderConfig & Pick<IdentityConfig, 'authThrottle' | 'trustedProxyHops'>;
  clients: ApiClient[];
  keys: IdentityKeys;
  identities: TestIdentities;
  logger?: Logger;
}): IdentityProvider {
  const issuer = `${deps.config.publicUrl}${MOUNT_PATH}`;
  const provider = new Provider(issuer, providerConfiguration(deps));
  // oidc-provider builds every URL it advertises (discovery, redirects to the login page) from the request's origin.
  // That origin is pinned to the configured public URL below (`pinOrigin`), so neither `Host` nor `X-Forwarded-*`
  // sent by a client can steer them; `proxy` makes Koa read the pinned forwarded headers, and so treat the request as
  // https when the public URL is (secure cookies behind a TLS-terminating proxy).
  provider.proxy = true;
  const pinOrigin = pinnedOrigin(deps.config.publicUrl);

  const guard = guardTokenEndpoint(provider, {
    throttle: new ClientAuthThrottle(deps.config.authThrottle),
    trustedProxyHops: deps.config.trustedProxyHops,
    logger: deps.logger,
  });
  // oidc-provider's extension point for secret checks (awaited, per provider instance): lets the clients file hold
  // scrypt hashes instead of secrets, and refuses a locked client id before its secret is compared.
  const verifiers = new Map(deps.clients.map((c) => [c.clientId, c.verifier]));
  provider.Client.prototype.compareClientSecret = async function (this: { clientId: string }, presented: string) {
    guard.checkClient(this.clientId);
    const verifier = verifiers.get(this.clientId);
    return verifier !== undefined && (await verifySecret(verifier, presented));
  };

  // The test eID keeps no single sign-on: once an authorization request has been answered (the browser goes back to
  // the portal with a code or an error), its login session is dropped. The next request logs in afresh, possibly as
  // another test person, as an eID does for every signature.
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      const { oidc } = ctx as {
        oidc?: { route?: string; session?: { destroyed?: boolean; destroy(): Promise<void> } };
      };
      if (oidc?.route === 'resume' && oidc.session && !oidc.session.destroyed) {
        // Unless the answer is another interaction of the same login.
        const location = (ctx.response.get('location') as string | undefined) ?? '';
        if (!location.startsWith(`${INTERACTION_PATH}/`)) await oidc.session.destroy();
      }
    }
  });

  const interaction = createInteractionHandler({
    provider,
    identities: deps.identities,
    basePath: INTERACTION_PATH,
    clientNames: new Map(deps.clients.map((c) => [c.clientId, c.name])),
    logger: deps.logger,
  });

  const callback = provider.callback();
  return {
    provider,
    issuer,
    handle(req, res) {
      pinOrigin(req);
      const url = req.url ?? '/';
      const uid = INTERACTION_ROUTE.exec(url)?.[1];
      if (uid) {
        void interaction(req, res, uid);
        return;
      }
      // Mounted the express way: the app sees the path below the mount point, originalUrl keeps the full one, from
      // which oidc-provider derives the mount path of every URL it advertises.
      Object.assign(req, { originalUrl: url, url: url.slice(MOUNT_PATH.length) || '/' });
      guard.run(req, () => void callback(req, res));
    },
  };
}

/**
 * Rewrites a request's `Host`, `X-Forwarded-Host` and `X-Forwarded-Proto` to the public URL's (issue 29, finding
 * 12): what a client sends there never reaches the URLs the provider builds.
 */
function pinnedOrigin(publicUrl: string): (req: IncomingMessage) => void {
  const { host, protocol } = new URL(publicUrl);
  const proto = protocol.slice(0, -1);
  return (req) => {
    req.headers.host = host;
    req.headers['x-forwarded-host'] = host;
    req.headers['x-forwarded-proto'] = proto;
  };
}
