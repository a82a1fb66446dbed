export { loadConfig, ConfigError, type Config } from './load.js';
export { DEV_DEFAULTS } from './defaults.js';
