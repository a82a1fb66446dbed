import { loadConfig } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { createLogger } from '@esign/observability';
import { createRedis, createS3, redisCheck, runWorkerService, s3BucketsCheck } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { CreationReservations, OrderStore } from '@esign/order-store';
import { loadSigningIdentity } from '@esign/pdf-signing';
import { createDocumentActivities } from './activities.js';
import { createOrderActivities } from './order-activities.js';

const service = 'document-storage';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
const s3 = createS3(config);
const store = new DocumentStore({ s3, redis, bucket: config.s3.buckets.documents, keyPrefix: config.redis.keyPrefix });
const orders = new OrderStore({ redis, keyPrefix: config.redis.keyPrefix });
const reservations = new CreationReservations({ redis, keyPrefix: config.redis.keyPrefix });
// Loaded (in dev: created and kept) at start, so a broken key stops the worker at once instead of at the first seal.
const { signing } = config;
const identity = await loadSigningIdentity(
  signing.p12File
    ? {
        p12File: signing.p12File,
        password: signing.p12Password ?? '',
        ...(signing.caFile ? { caFile: signing.caFile } : {}),
      }
    : { dataDir: signing.dataDir },
);
const sealing = { identity: () => Promise.resolve(identity), ...(signing.tsaUrl ? { tsaUrl: signing.tsaUrl } : {}) };

await runWorkerService({
  service,
  config,
  logger,
  healthPort: config.healthPorts.documentStorage,
  taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
  worker: {
    activities: {
      ...createDocumentActivities({ s3, redis, config, store }),
      ...createOrderActivities({ store, orders, reservations, config, sealing }),
    },
  },
  checks: { redis: redisCheck(redis), s3: s3BucketsCheck(s3, [config.s3.buckets.documents]) },
  close: async () => {
    await redis.quit();
  },
});
