export { createLogger, orderLogger, REDACTED_PATHS, type Logger } from './logger.js';
