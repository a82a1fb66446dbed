import { createLogger } from '@esign/observability';
import { onShutdown } from '@esign/service-runtime';
import { loadIdentityConfig } from './config.js';
import { startIdentityServer } from './server.js';

const config = loadIdentityConfig();
const logger = createLogger({ service: 'identity', level: config.logLevel });
const server = await startIdentityServer({ config, logger });

onShutdown(logger, [() => server.close()]);
