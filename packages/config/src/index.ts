export { loadConfig, parseEnv, ConfigError, type Config } from './load.js';
export { DEV_DEFAULTS } from './defaults.js';
export { loadSigningConfigurations, SigningConfiguration } from './signing-configurations.js';
export type { PadesLevel, SigningConfig } from './signing.js';
