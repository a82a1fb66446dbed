import { loadConfig } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { createLogger } from '@esign/observability';
import {
  createRedis,
  createS3,
  payloadEncryption,
  redisCheck,
  runWorkerService,
  s3BucketsCheck,
} from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { CreationReservations, OrderStore } from '@esign/order-store';
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
// One payload encryption for the worker and the deletion, which destroys orders' keys (and forgets its own copy).
const encryption = payloadEncryption(config, redis, { worker: true });
await runWorkerService({
  service,
  config,
  logger,
  redis,
  encryption,
  healthPort: config.healthPorts.documentStorage,
  taskQueue: TASK_QUEUES.DOCUMENT_STORAGE,
  worker: {
    activities: {
      ...createDocumentActivities({ s3, redis, config, store }),
      ...createOrderActivities({ store, orders, reservations, config, orderKeys: encryption.orderKeys }),
    },
  },
  checks: { redis: redisCheck(redis), s3: s3BucketsCheck(s3, [config.s3.buckets.documents]) },
  close: async () => {
    await redis.quit();
  },
});
