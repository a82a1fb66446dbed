// The dev stack's OpenID provider, mounted under /auth/open: merchant API clients (client credentials, JWT access
// tokens), and the test eID for the signing portal (authorization code + PKCE, test identities). Start it in-process
// with startIdentityServer, or build the provider alone with createIdentityProvider.
export { startIdentityServer, type IdentityServer, type StartIdentityServerOptions } from './server.js';
export { createIdentityProvider, INTERACTION_PATH, MOUNT_PATH, type IdentityProvider } from './provider.js';
export { API_RESOURCE, PORTAL_SCOPES, PROFILE_CLAIMS, SCOPE } from './provider-config.js';
export { loadIdentityConfig, DEV_CLIENTS_FILE, TEST_EID_CLIENTS_FILE, type IdentityConfig } from './config.js';
export { loadClients, parseClients, ClientsFileError } from './clients.js';
export type { ApiClient, MerchantClient, PortalClient } from './clients.js';
export {
  DEV_IDENTITIES_FILE,
  loadIdentities,
  parseIdentities,
  accountIdFor,
  IdentitiesFileError,
} from './identities.js';
export type { TestIdentities, TestIdentity } from './identities.js';
export { DIGESTS_CLAIM, KNOWN_METHODS, MAX_DIGESTS } from './eid-params.js';
export { loadOrCreateKeys, readKeysFile, writeKeysFile, generateSigningKey, KeysFileError } from './keys.js';
export type { IdentityKeys, PrivateJwk } from './keys.js';
export { hashSecret, verifySecret } from './secrets.js';
