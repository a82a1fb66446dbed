import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import {
  connectTemporalClient,
  createMetricsRegistry,
  dependencyFailuresMetric,
  createRedis,
  createS3,
  redisCheck,
  runWorkerService,
  s3BucketsCheck,
} from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { createArchiveActivities } from './activities.js';
import { startRenewal } from './renewal-workflow.js';

const service = 'archive';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const s3 = createS3(config);
const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
const buckets = { documents: config.s3.buckets.documents, archive: config.s3.buckets.archive };
const registry = createMetricsRegistry(service);
// Archived documents keep their timestamps fresh when there is a TSA to ask (docs/signing.md, archive renewal).
const { tsaUrl, archiveRenewalMarginDays: marginDays } = config.signing;
const client = tsaUrl ? await connectTemporalClient(config, redis) : undefined;
const renewalFailures = dependencyFailuresMetric(
  registry,
  'esign_archive_renewal_dependency_failures_total',
  'Archive renewal attempts',
);
const renewal =
  tsaUrl && client
    ? {
        tsaUrl,
        marginDays,
        start: (ref: { merchantId: string; archiveId: string }) => startRenewal(client, ref, marginDays),
        onDependencyFailure: renewalFailures,
      }
    : undefined;

await runWorkerService({
  service,
  config,
  logger,
  redis,
  registry,
  healthPort: config.healthPorts.archive,
  taskQueue: TASK_QUEUES.ARCHIVE,
  worker: {
    activities: createArchiveActivities({
      s3,
      redis,
      keyPrefix: config.redis.keyPrefix,
      buckets,
      idSecret: config.signCodeSecret,
      ...(renewal ? { renewal } : {}),
    }),
  },
  checks: { s3: s3BucketsCheck(s3, [buckets.archive, buckets.documents]), redis: redisCheck(redis) },
  close: async () => {
    await redis.quit();
    await client?.connection.close();
  },
});
