import { createServer } from 'node:http';
import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { closeServer, connectTemporalClient, createRedis, createS3, listen, onShutdown } from '@esign/service-runtime';
import { createPortal } from './app.js';

const config = loadConfig();
const logger = createLogger({ service: 'signing-portal', level: config.logLevel });
const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
const s3 = createS3(config);
const temporal = await connectTemporalClient(config);

const server = createServer(createPortal({ config, logger, temporal, redis, s3 }));
await listen(server, config.host, config.portal.port);
logger.info({ port: config.portal.port }, 'signing portal listening');

onShutdown(logger, [() => closeServer(server), () => temporal.connection.close(), () => redis.quit()]);
