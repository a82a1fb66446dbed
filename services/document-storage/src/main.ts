import { loadConfig } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { createLogger } from '@esign/observability';
import {
  Counter,
  createMetricsRegistry,
  createRedis,
  createS3,
  redisCheck,
  runWorkerService,
  s3BucketsCheck,
} from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { CreationReservations, OrderStore } from '@esign/order-store';
import { loadSigningIdentity, type SigningIdentityOptions } from '@esign/pdf-signing';
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
const sealFailures = new Counter({
  name: 'esign_seal_dependency_failures_total',
  help: 'Seal attempts that failed because a TSA, OCSP responder or CRL did not answer, by service.',
  labelNames: ['service'] as const,
  registers: [registry],
});
const sealing = {
  identity: () => Promise.resolve(identity),
  level: signing.level,
  ...(signing.tsaUrl ? { tsaUrl: signing.tsaUrl } : {}),
  onDependencyFailure: (failed: string) => sealFailures.inc({ service: failed }),
};

await runWorkerService({
  service,
  config,
  logger,
  registry,
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
