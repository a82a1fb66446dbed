import { freePort } from '@esign/devstack';
import { merchantCallbackSecret, signCallback } from '@esign/notification';
import type { CallUrlInput } from '@esign/temporal-contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { activities, activitiesUnderTest, config, makeActivities, receiver } from '../support/activities.js';
import { deliverInput, MERCHANT, placeholders } from '../support/notification-inputs.js';

// callUrl against a local HTTP receiver answering as planned: signed calls, retries, redirects, timeouts, SSRF.
describe('notification activities', () => {
  activitiesUnderTest();

  describe('callUrl', () => {
    beforeEach(() => {
      receiver.calls.length = 0;
      receiver.plan(200);
    });

    function urlInput(recipient: string, extra: Partial<CallUrlInput> = {}): CallUrlInput {
      return {
        ...deliverInput({ type: 'URL', recipient, message: 'Signed: ${orderId} by ${clientRef}' }),
        attempt: 1,
        ...extra,
      };
    }

    it('GETs the URL with the query parameters added and signed headers a receiver can verify', async () => {
      const input = urlInput(`${receiver.url}/hook?source=esign&taskId=theirs`);
      const result = await activities.callUrl(input);
      expect(result).toMatchObject({ outcome: 'DELIVERED', repeated: false });
      expect(receiver.calls).toHaveLength(1);
      const call = receiver.calls[0]!;
      const url = new URL(call.url, receiver.url);
      expect(url.pathname).toBe('/hook');
      expect([...url.searchParams]).toEqual([
        ['source', 'esign'],
        ['taskId', 'theirs'],
        ['requestId', 'order-123'],
        ['taskId', 'signer1'],
        ['message', `Signed: order-123 by ${placeholders.clientRef}`],
      ]);
      expect(call.headers['x-sign-delivery-id']).toBe(input.deliveryId);
      const timestamp = Number(call.headers['x-sign-timestamp']);
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
      const secret = merchantCallbackSecret(config.notifications.signingSecret, MERCHANT);
      expect(call.headers['x-sign-signature']).toBe(signCallback({ secret, timestamp, method: 'GET', url: url.href }));
      // Another merchant's key does not verify it.
      const other = merchantCallbackSecret(config.notifications.signingSecret, 'other-merchant');
      expect(call.headers['x-sign-signature']).not.toBe(
        signCallback({ secret: other, timestamp, method: 'GET', url: url.href }),
      );
    });

    it('answers DELIVERED, repeated, for a delivery already delivered, without calling again', async () => {
      const input = urlInput(`${receiver.url}/once`);
      await activities.callUrl(input);
      expect(await activities.callUrl({ ...input, attempt: 2 })).toMatchObject({
        outcome: 'DELIVERED',
        repeated: true,
      });
      expect(receiver.calls).toHaveLength(1);
    });

    it('is FAILED and retryable on any other status, and DELIVERED once the receiver answers 200', async () => {
      receiver.plan(503, 201, 200);
      const input = urlInput(`${receiver.url}/flaky`);
      expect(await activities.callUrl(input)).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'HTTP 503' });
      expect(await activities.callUrl({ ...input, attempt: 2 })).toMatchObject({ reason: 'HTTP 201', retryable: true });
      expect(await activities.callUrl({ ...input, attempt: 3 })).toMatchObject({
        outcome: 'DELIVERED',
        repeated: false,
      });
      expect(new Set(receiver.calls.map((c) => c.headers['x-sign-delivery-id']))).toEqual(new Set([input.deliveryId]));
    });

    it('does not follow redirects', async () => {
      receiver.plan({ status: 302, location: `${receiver.url}/elsewhere` }, 200);
      const result = await activities.callUrl(urlInput(`${receiver.url}/moved`));
      expect(result).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'HTTP 302' });
      expect(receiver.calls.map((c) => new URL(c.url, receiver.url).pathname)).toEqual(['/moved']);
    });

    it('gives up on a slow receiver after the configured timeout', async () => {
      receiver.plan({ status: 200, delayMs: 3000 });
      const started = Date.now();
      const result = await activities.callUrl(urlInput(`${receiver.url}/slow`));
      expect(result).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'timeout after 0.5 s' });
      expect(Date.now() - started).toBeLessThan(2500);
    });

    it('is FAILED and retryable when nothing listens', async () => {
      const result = await activities.callUrl(urlInput(`http://127.0.0.1:${await freePort()}/cb`));
      expect(result).toMatchObject({ outcome: 'FAILED', retryable: true, reason: 'connection refused' });
    });

    it('refuses, not retryable, a host name that resolves to the cloud metadata service at send time', async () => {
      // The name passed the check at order creation; now it resolves to 169.254.169.254 (DNS rebinding).
      const rebinding = makeActivities({
        lookup: () => Promise.resolve([{ address: '169.254.169.254', family: 4 }]),
      });
      const result = await rebinding.callUrl(urlInput('http://hooks.example.test/cb'));
      expect(result).toEqual({
        outcome: 'FAILED',
        at: expect.any(String),
        retryable: false,
        reason: 'target must not point at a link-local or cloud metadata address',
      });
    });

    it('refuses, not retryable, loopback targets when the configuration does not allow them', async () => {
      const strict = makeActivities({ config: { notifications: { allowLoopback: false } } });
      const literal = await strict.callUrl(urlInput(`${receiver.url}/cb`));
      expect(literal).toMatchObject({
        outcome: 'FAILED',
        retryable: false,
        reason: expect.stringContaining('loopback'),
      });
      const byName = makeActivities({
        config: { notifications: { allowLoopback: false } },
        lookup: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
      });
      const port = new URL(receiver.url).port;
      const named = await byName.callUrl(urlInput(`http://receiver.example.test:${port}/cb`));
      expect(named).toMatchObject({ outcome: 'FAILED', retryable: false, reason: expect.stringContaining('loopback') });
      expect(receiver.calls).toHaveLength(0);
    });

    it('calls a host name through the injected resolver when its address is allowed', async () => {
      const resolved = makeActivities({ lookup: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]) });
      const port = new URL(receiver.url).port;
      const result = await resolved.callUrl(urlInput(`http://receiver.example.test:${port}/named`));
      expect(result).toMatchObject({ outcome: 'DELIVERED' });
      expect(receiver.calls[0]!.headers.host).toBe(`receiver.example.test:${port}`);
    });
  });
});
