import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import type { MerchantClient } from './clients.js';
import type { IdentityKeys } from './keys.js';
import { providerConfiguration, type ProviderConfig } from './provider-config.js';
import { verifySecret } from './secrets.js';

/** Where the provider is served, on its own port and (through the proxy) on the API origin. */
export const MOUNT_PATH = '/auth/open';

export interface IdentityProvider {
  provider: Provider;
  issuer: string;
  /** Node request handler for paths under MOUNT_PATH; other paths are not its business. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** Builds the OpenID provider for merchant API clients, ready to mount under `/auth/open`. */
export function createIdentityProvider(deps: {
  config: ProviderConfig;
  clients: MerchantClient[];
  keys: IdentityKeys;
}): IdentityProvider {
  const issuer = `${deps.config.publicUrl}${MOUNT_PATH}`;
  const provider = new Provider(issuer, providerConfiguration(deps));
  // Behind the API origin's reverse proxy: advertise the origin from X-Forwarded-Proto / X-Forwarded-Host.
  provider.proxy = true;

  // oidc-provider's extension point for secret checks (awaited, per provider instance): lets the clients file hold
  // scrypt hashes instead of secrets.
  const verifiers = new Map(deps.clients.map((c) => [c.clientId, c.verifier]));
  provider.Client.prototype.compareClientSecret = async function (this: { clientId: string }, presented: string) {
    const verifier = verifiers.get(this.clientId);
    return verifier !== undefined && (await verifySecret(verifier, presented));
  };

  const callback = provider.callback();
  return {
    provider,
    issuer,
    handle(req, res) {
      // Mounted the express way: the app sees the path below the mount point, originalUrl keeps the full one, from
      // which oidc-provider derives the mount path of every URL it advertises.
      const url = req.url ?? '/';
      Object.assign(req, { originalUrl: url, url: url.slice(MOUNT_PATH.length) || '/' });
      void callback(req, res);
    },
  };
}
