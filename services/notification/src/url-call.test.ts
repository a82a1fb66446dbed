import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackUrl, merchantCallbackSecret, signCallback } from './url-call.js';

describe('callback signatures', () => {
  it('derives one key per merchant from the master secret', () => {
    const master = 'esign-dev-callback-secret';
    const a = merchantCallbackSecret(master, 'demo-merchant');
    expect(a).toBe(createHmac('sha256', master).update('demo-merchant').digest('hex'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(merchantCallbackSecret(master, 'other-merchant')).not.toBe(a);
    expect(merchantCallbackSecret('another-master-secret', 'demo-merchant')).not.toBe(a);
  });

  it('signs "<timestamp>.<METHOD>.<url>" with HMAC-SHA256 as v1=<hex>', () => {
    const secret = merchantCallbackSecret('esign-dev-callback-secret', 'demo-merchant');
    const url = 'https://hooks.example.com/cb?x=1&requestId=o1&taskId=t1&message=Hi';
    const expected = createHmac('sha256', secret).update(`1700000000.GET.${url}`).digest('hex');
    expect(signCallback({ secret, timestamp: 1700000000, method: 'get', url })).toBe(`v1=${expected}`);
    // Any change to the signed parts changes the signature.
    const base = signCallback({ secret, timestamp: 1700000000, method: 'GET', url });
    expect(signCallback({ secret, timestamp: 1700000001, method: 'GET', url })).not.toBe(base);
    expect(signCallback({ secret, timestamp: 1700000000, method: 'POST', url })).not.toBe(base);
    expect(signCallback({ secret, timestamp: 1700000000, method: 'GET', url: `${url}2` })).not.toBe(base);
  });
});

describe('callbackUrl', () => {
  const placeholders = { orderId: 'o1', clientRef: 'R&D', taskUrl: '', signCode: '', signCodeUrl: '' };

  it('appends requestId, taskId and the rendered message to the query the URL already has', () => {
    const url = callbackUrl({
      notification: {
        id: 'n',
        type: 'URL',
        recipient: 'https://h.example/cb?taskId=mine&a=1',
        message: '${clientRef} ok',
      },
      about: { requestId: 'o1', taskId: 't1' },
      placeholders,
    });
    expect([...url.searchParams]).toEqual([
      ['taskId', 'mine'],
      ['a', '1'],
      ['requestId', 'o1'],
      ['taskId', 't1'],
      ['message', 'R&D ok'],
    ]);
    expect(url.href).toBe('https://h.example/cb?taskId=mine&a=1&requestId=o1&taskId=t1&message=R%26D+ok');
  });

  it('names a packaging task, and sends its message verbatim', () => {
    const url = callbackUrl({
      notification: { id: 'n', type: 'URL', recipient: 'http://h.example/cb', message: 'Packed ${orderId}' },
      about: { requestId: 'o1', packagingTaskId: 'p1' },
    });
    expect(url.search).toBe('?requestId=o1&packagingTaskId=p1&message=Packed+%24%7BorderId%7D');
  });
});
