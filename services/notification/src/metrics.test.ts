import { Registry } from '@esign/service-runtime';
import { describe, expect, it } from 'vitest';
import { counted, deliveryOutcome, notificationMetrics } from './metrics.js';

const at = '2026-01-01T00:00:00.000Z';

describe('notification metrics', () => {
  it('maps results to outcomes', () => {
    expect(deliveryOutcome({ outcome: 'SENT', at, repeated: false })).toBe('sent');
    expect(deliveryOutcome({ outcome: 'SENT', at, repeated: true })).toBe('repeated');
    expect(deliveryOutcome({ outcome: 'UNCERTAIN', since: at })).toBe('uncertain');
    expect(deliveryOutcome({ outcome: 'DELIVERED', at, repeated: false })).toBe('sent');
    expect(deliveryOutcome({ outcome: 'FAILED', at, reason: 'HTTP 500', retryable: true })).toBe('failed');
  });

  it('counts deliveries by type and outcome, a thrown error as failed (and rethrows it)', async () => {
    const registry = new Registry();
    const metrics = notificationMetrics(registry);
    await counted(metrics, 'EMAIL', () => Promise.resolve({ outcome: 'SENT' as const, at, repeated: false }));
    await counted(metrics, 'EMAIL', () => Promise.resolve({ outcome: 'SENT' as const, at, repeated: false }));
    await expect(counted(metrics, 'SMS', () => Promise.reject(new Error('twilio down')))).rejects.toThrow(
      'twilio down',
    );
    const text = await registry.metrics();
    expect(text).toContain('esign_notification_deliveries_total{type="EMAIL",outcome="sent"} 2');
    expect(text).toContain('esign_notification_deliveries_total{type="SMS",outcome="failed"} 1');
  });
});
