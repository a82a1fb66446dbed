import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { createMetricsRegistry, createRedis, redisCheck, runWorkerService } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import { createNotificationActivities, smtpCheck } from './activities.js';
import { createMailTransport } from './email.js';
import { notificationMetrics } from './metrics.js';
import { createSmsClient } from './sms.js';

const service = 'notification';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const mail = createMailTransport(config.smtp, config.deadlines.smtpMs);
const sms = createSmsClient(config.twilio, config.deadlines.twilioMs);
const registry = createMetricsRegistry(service);
const redis = createRedis(config, (err) => logger.warn({ err: err.message }, 'redis connection error'));

await runWorkerService({
  service,
  config,
  logger,
  redis,
  registry,
  healthPort: config.healthPorts.notification,
  taskQueue: TASK_QUEUES.NOTIFICATION,
  worker: {
    activities: createNotificationActivities({
      mail,
      sms,
      redis,
      keyPrefix: config.redis.keyPrefix,
      config,
      metrics: notificationMetrics(registry),
    }),
  },
  checks: { smtp: smtpCheck(mail), redis: redisCheck(redis) },
  close: async () => {
    mail.close();
    await redis.quit();
  },
});
