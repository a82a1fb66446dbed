import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { createRedis, createS3, redisCheck, runWorkerService, s3BucketsCheck } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { createArchiveActivities } from './activities.js';

const service = 'archive';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const s3 = createS3(config);
const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
const buckets = { documents: config.s3.buckets.documents, archive: config.s3.buckets.archive };

await runWorkerService({
  service,
  config,
  logger,
  healthPort: config.healthPorts.archive,
  taskQueue: TASK_QUEUES.ARCHIVE,
  worker: {
    activities: createArchiveActivities({
      s3,
      redis,
      keyPrefix: config.redis.keyPrefix,
      buckets,
      idSecret: config.signCodeSecret,
    }),
  },
  checks: { s3: s3BucketsCheck(s3, [buckets.archive, buckets.documents]), redis: redisCheck(redis) },
  close: async () => {
    await redis.quit();
  },
});
