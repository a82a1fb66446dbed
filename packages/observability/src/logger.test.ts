import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, orderLogger } from './index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with the service name and order ids', () => {
    const { lines, destination } = capture();
    const log = orderLogger(createLogger({ service: 'gateway', destination }), { orderId: 'o1', taskId: 't1' });
    log.info({ step: 'created' }, 'order created');
    expect(lines[0]).toMatchObject({ service: 'gateway', orderId: 'o1', taskId: 't1', level: 'info', step: 'created' });
    expect(lines[0]?.msg).toBe('order created');
  });

  it('censors secrets and personal data at the top level and one object deep', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'notification', destination });
    log.info(
      {
        authorization: 'Bearer abc',
        notification: { recipient: 'alice@example.com', email: 'alice@example.com', phone: '+4791234567' },
        subject: { attributes: { 'national-id': '01010112345' }, name: 'Alice' },
        req: { headers: { authorization: 'Basic xyz', cookie: 'sid=1' } },
        clientSecret: 'demo-secret',
      },
      'sent',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['Bearer abc', 'alice@example.com', '+4791234567', '01010112345', 'Alice', 'xyz', 'sid=1']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('demo-secret');
    expect(text).toContain('[redacted]');
  });
});
