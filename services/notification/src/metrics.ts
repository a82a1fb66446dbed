import { Counter, type Registry } from '@esign/service-runtime';
import type { SendResult, UrlCallResult } from '@esign/temporal-contracts';

export type NotificationType = 'EMAIL' | 'SMS' | 'URL';
export type DeliveryOutcome = 'sent' | 'failed' | 'uncertain' | 'repeated';

/** Counts delivery attempts by notification type and outcome. */
export interface NotificationMetrics {
  delivery(type: NotificationType, outcome: DeliveryOutcome): void;
}

/** `esign_notification_deliveries_total{type,outcome}` on the registry. */
export function notificationMetrics(registry: Registry): NotificationMetrics {
  const deliveries = new Counter({
    name: 'esign_notification_deliveries_total',
    help: 'Notification delivery attempts by type (EMAIL, SMS, URL) and outcome (sent, failed, uncertain, repeated).',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  return { delivery: (type, outcome) => deliveries.inc({ type, outcome }) };
}

/** The outcome label of a send or URL call result: a delivery the ledger already recorded is `repeated`. */
export function deliveryOutcome(result: SendResult | UrlCallResult): DeliveryOutcome {
  switch (result.outcome) {
    case 'SENT':
    case 'DELIVERED':
      return result.repeated ? 'repeated' : 'sent';
    case 'UNCERTAIN':
      return 'uncertain';
    case 'FAILED':
      return 'failed';
  }
}

/** Runs one delivery and counts its outcome (a thrown error is `failed`, and is rethrown for Temporal to retry). */
export async function counted<R extends SendResult | UrlCallResult>(
  metrics: NotificationMetrics | undefined,
  type: NotificationType,
  deliver: () => Promise<R>,
): Promise<R> {
  if (!metrics) return deliver();
  try {
    const result = await deliver();
    metrics.delivery(type, deliveryOutcome(result));
    return result;
  } catch (err) {
    metrics.delivery(type, 'failed');
    throw err;
  }
}
