export { loadConfig, parseEnv, ConfigError, type Config, type PortalLimits } from './load.js';
export { DEV_DEFAULTS } from './defaults.js';
export { parseEmailSenders, type EmailSenderAllowlist } from './email-senders.js';
export { loadSigningConfigurations, SigningConfiguration } from './signing-configurations.js';
export type { PadesLevel, SigningConfig } from './signing.js';
export type { CodecServerConfig, PayloadEncryptionConfig } from './payload-encryption.js';
export {
  loadIdentityProviders,
  parseIdentityProviders,
  resolveClientCredentials,
  signatureTypesOf,
  type ClientCredential,
  type IdentityProviderConfig,
  type IdentityProviders,
  type OidcProviderConfig,
  type SignatureType,
} from './identity-providers.js';
