// The notification activities called directly (no workflow) against real components: an in-process SMTP server,
// the real twilio client against the dev SMS sink, a local HTTP receiver, and the stack's Redis for the delivery
// states that make e-mail and SMS at most once: the suite's servers, clients and activities.
import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '@esign/config';
import { freePort, startSmsSink, type SmsSink } from '@esign/devstack';
import {
  createMailTransport,
  createNotificationActivities,
  createSmsClient,
  DeliveryLedger,
  type NotificationActivityDeps,
} from '@esign/notification';
import { OrderStore, type OrderRecord } from '@esign/order-store';
import { createRedis } from '@esign/service-runtime';
import type { NotificationActivities } from '@esign/temporal-contracts';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import { MERCHANT, PORTAL_URL, placeholders } from './notification-inputs.js';
import { startPlannedReceiver } from './planned-receiver.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import './stack-info.js';

/** Activity overrides: parts of the deps, or of the config. */
type Overrides = Partial<Omit<NotificationActivityDeps, 'config'>> & {
  config?: { [K in keyof NotificationActivityDeps['config']]?: Partial<Config[K]> };
};

// The suite's servers, clients and activities: set by the beforeAll that activitiesUnderTest() registers, read by the
// tests through these live bindings (each test file has its own copy of this module).
const keyPrefix = `test-notification-activities-${randomUUID()}:`;
export let config: Config;
export let redis: Redis;
export let ledger: DeliveryLedger;
export let smtp: SmtpSink;
export let smsSink: SmsSink;
export let receiver: Awaited<ReturnType<typeof startPlannedReceiver>>;
/** The activities over the test's servers. */
export let activities: NotificationActivities;
const transports: Array<ReturnType<typeof createMailTransport>> = [];

/** Activities over the test's servers; `overrides` replace parts of the deps or the config. */
export function makeActivities(overrides: Overrides = {}): NotificationActivities {
  const { config: c = {}, ...deps } = overrides;
  const mail = createMailTransport({ ...config.smtp, ...c.smtp });
  transports.push(mail);
  return createNotificationActivities({
    mail,
    sms: createSmsClient({ ...config.twilio, ...c.twilio }),
    redis,
    keyPrefix,
    config: {
      smtp: { ...config.smtp, ...c.smtp },
      twilio: { ...config.twilio, ...c.twilio },
      notifications: { ...config.notifications, ...c.notifications },
      signingPortalUrl: PORTAL_URL,
    },
    ...deps,
  });
}

/** Registers the suite's hooks (call it inside a describe): the servers and clients, stopped and cleaned up after. */
export function activitiesUnderTest(): void {
  beforeAll(async () => {
    const stackConfig = loadConfig(inject('stack').env);
    redis = createRedis(stackConfig, () => undefined);
    ledger = new DeliveryLedger({ redis, keyPrefix });
    smtp = await startSmtpSink();
    smsSink = await startSmsSink({
      port: await freePort(),
      accountSid: stackConfig.twilio.accountSid,
      authToken: stackConfig.twilio.authToken,
    });
    receiver = await startPlannedReceiver();
    config = {
      ...stackConfig,
      smtp: { ...stackConfig.smtp, host: '127.0.0.1', port: smtp.port },
      twilio: { ...stackConfig.twilio, apiUrl: smsSink.url },
      notifications: { ...stackConfig.notifications, urlTimeoutMs: 500, allowLoopback: true, allowPrivate: false },
    };
    activities = makeActivities();
    // The order the deliveries are about: the worker reads the signer's links from it when it sends.
    const order = {
      orderId: placeholders.orderId,
      merchantId: MERCHANT,
      clientReference: placeholders.clientRef,
      createdAt: new Date().toISOString(),
      status: 'ACTIVE',
      order: { tasks: [{ id: 'signer1' }] },
      signCodes: { signer1: placeholders.signCode },
      tasks: { signer1: { status: 'CREATED' } },
    } as unknown as OrderRecord;
    await new OrderStore({ redis, keyPrefix }).recordOrder(order);
  });

  afterAll(async () => {
    for (const t of transports) t.close();
    await smtp?.stop();
    await smsSink?.stop();
    await receiver?.stop();
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
}
