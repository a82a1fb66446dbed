import { loadConfig } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { createLogger } from '@esign/observability';
import { OrderStore } from '@esign/order-store';
import { loadSigningIdentity, type SigningIdentityOptions } from '@esign/pdf-signing';
import {
  createMetricsRegistry,
  dependencyFailuresMetric,
  createRedis,
  createS3,
  redisCheck,
  runWorkerService,
  s3BucketsCheck,
} from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { createSealingActivities } from './activities.js';

const service = 'sealing';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));
const s3 = createS3(config);
const store = new DocumentStore({ s3, redis, bucket: config.s3.buckets.documents, keyPrefix: config.redis.keyPrefix });
const orders = new OrderStore({ redis, keyPrefix: config.redis.keyPrefix });
// Loaded and tried at start, so a broken key stops the worker at once instead of at the first seal.
const { signing } = config;
const caFile = signing.caFile ? { caFile: signing.caFile } : {};
const key: SigningIdentityOptions = signing.pkcs11
  ? { pkcs11: signing.pkcs11, ...caFile }
  : signing.p12File
    ? { p12File: signing.p12File, password: signing.p12Password ?? '', ...caFile }
    : { dataDir: signing.dataDir };
const identity = await loadSigningIdentity(key);
const registry = createMetricsRegistry(service);
const sealFailures = dependencyFailuresMetric(registry, 'esign_seal_dependency_failures_total', 'Seal attempts');

await runWorkerService({
  service,
  config,
  logger,
  redis,
  registry,
  healthPort: config.healthPorts.sealing,
  taskQueue: TASK_QUEUES.SEALING,
  worker: {
    activities: createSealingActivities({
      store,
      orders,
      identity: () => Promise.resolve(identity),
      level: signing.level,
      ...(signing.tsaUrl ? { tsaUrl: signing.tsaUrl } : {}),
      onDependencyFailure: sealFailures,
    }),
  },
  checks: { redis: redisCheck(redis), s3: s3BucketsCheck(s3, [config.s3.buckets.documents]) },
  close: async () => {
    await redis.quit();
  },
});
