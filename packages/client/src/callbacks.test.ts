import { merchantCallbackSecret, signCallback } from '@esign/notification';
import { describe, expect, it } from 'vitest';
import { callbackParams, verifyCallback } from './callbacks.js';

// Verified against the notification service's own signing code, so the SDK and the server cannot drift apart.
describe('verifyCallback', () => {
  const secret = merchantCallbackSecret('server-master-secret-0123456789', 'demo-merchant');
  const url = 'https://merchant.example.test/hooks/sign?requestId=o1&taskId=t1&message=signed%20%26%20done';
  const timestamp = 1_800_000_000;
  const now = timestamp * 1000 + 5_000;
  const signature = signCallback({ secret, timestamp, method: 'GET', url });
  const call = { secret, url, timestamp: String(timestamp), signature, now };

  it('accepts a callback signed by the notification service', () => {
    expect(verifyCallback(call)).toEqual({ ok: true });
  });

  it('refuses another URL, method, secret, version or an old timestamp', () => {
    expect(verifyCallback({ ...call, url: url.replace('t1', 't2') })).toMatchObject({ ok: false });
    expect(verifyCallback({ ...call, method: 'POST' })).toMatchObject({ ok: false });
    expect(verifyCallback({ ...call, secret: merchantCallbackSecret('x'.repeat(32), 'demo-merchant') })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(verifyCallback({ ...call, signature: signature.replace('v1=', 'v2=') })).toMatchObject({ ok: false });
    expect(verifyCallback({ ...call, signature: 'v1=abc' })).toMatchObject({ ok: false });
    expect(verifyCallback({ ...call, now: now + 10 * 60_000 })).toEqual({
      ok: false,
      reason: 'timestamp outside ±300 s',
    });
    expect(verifyCallback({ ...call, timestamp: undefined })).toMatchObject({ ok: false });
  });

  it('reads the notification from the query', () => {
    expect(callbackParams(url)).toEqual({
      requestId: 'o1',
      taskId: 't1',
      packagingTaskId: undefined,
      message: 'signed & done',
    });
  });
});
