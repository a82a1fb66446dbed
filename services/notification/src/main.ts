import { loadConfig } from '@esign/config';
import { createLogger } from '@esign/observability';
import { runWorkerService } from '@esign/service-runtime';
import { TASK_QUEUES } from '@esign/temporal-contracts';
import nodemailer from 'nodemailer';
import { createNotificationActivities, smtpCheck } from './activities.js';

const service = 'notification';
const config = loadConfig();
const logger = createLogger({ service, level: config.logLevel });
const { host, port, secure, user, password } = config.smtp;
const mail = nodemailer.createTransport({
  host,
  port,
  secure,
  ignoreTLS: !secure && host === '127.0.0.1',
  auth: user ? { user, pass: password } : undefined,
});

await runWorkerService({
  service,
  config,
  logger,
  healthPort: config.healthPorts.notification,
  taskQueue: TASK_QUEUES.NOTIFICATION,
  worker: { activities: createNotificationActivities({ mail }) },
  checks: { smtp: smtpCheck(mail) },
  close: async () => {
    mail.close();
  },
});
