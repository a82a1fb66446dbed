import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailTransport, smtpNotSent } from './email.js';

describe('SMTP deadline against a server that accepts and never answers', () => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails the send before the caller gives up, as surely not sent (so it is retried)', async () => {
    const mail = createMailTransport({ host: '127.0.0.1', port, secure: false, from: 'E-Sign <a@b.example>' }, 300);
    const patience = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('still waiting at the client timeout')), 10_000).unref(),
    );
    const err = await Promise.race([
      mail.sendMail({ from: 'a@b.example', to: 'c@d.example', subject: 's', text: 't' }),
      patience,
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('still waiting');
    expect(smtpNotSent(err)).toBe(true);
    mail.close();
  });
});
