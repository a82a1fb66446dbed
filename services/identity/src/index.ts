// The dev stack's OpenID provider for merchant API clients (client credentials, JWT access tokens), mounted under
// /auth/open. Start it in-process with startIdentityServer, or build the provider alone with createIdentityProvider.
export { startIdentityServer, type IdentityServer, type StartIdentityServerOptions } from './server.js';
export { createIdentityProvider, MOUNT_PATH, type IdentityProvider } from './provider.js';
export { API_RESOURCE, SCOPE } from './provider-config.js';
export { loadIdentityConfig, DEV_CLIENTS_FILE, type IdentityConfig } from './config.js';
export { loadClients, parseClients, ClientsFileError, type MerchantClient } from './clients.js';
export { loadOrCreateKeys, readKeysFile, writeKeysFile, generateSigningKey, KeysFileError } from './keys.js';
export type { IdentityKeys, PrivateJwk } from './keys.js';
export { hashSecret, verifySecret } from './secrets.js';
