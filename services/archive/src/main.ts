import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { createS3, runWorkerService, s3BucketsCheck } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { createArchiveActivities } from './activities.js';

const service = 'archive';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const s3 = createS3(config);
const bucket = config.s3.buckets.archive;

await runWorkerService({
  service,
  config,
  logger,
  healthPort: config.healthPorts.archive,
  taskQueue: TASK_QUEUES.ARCHIVE,
  worker: { activities: createArchiveActivities({ s3, bucket }) },
  checks: { s3: s3BucketsCheck(s3, [bucket]) },
});
