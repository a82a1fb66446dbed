import { createServer, type Server } from 'node:http';
import { createGuard } from '@esign/service-runtime';
import { createLogger } from '@esign/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHungServer, withinPatience, type HungServer } from '../../../../test/support/hung-server.js';
import { bareApp } from '../bare-app.js';
import { errorHandler } from '../problem.js';
import { authProxy, MAX_TOKEN_BODY_BYTES } from './auth-proxy.js';

const DEADLINE_MS = 300;

/** The gateway's token proxy in front of `target`, under a guard of its own; answers on a free port. */
async function proxyTo(target: string) {
  const guard = createGuard('identity provider', { deadlineMs: DEADLINE_MS, failures: 1, halfOpenMs: 30_000 });
  const app = bareApp();
  app.use('/auth/open', authProxy(target, guard, DEADLINE_MS));
  app.use(errorHandler(createLogger({ service: 'auth-proxy-test', level: 'silent' }), 2));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/auth/open/connect/token`;
  return { guard, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const tokenRequest = (url: string, body: RequestInit['body'] = 'grant_type=client_credentials') =>
  withinPatience(
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
  );

describe('token proxy: the identity service under a deadline and a breaker', () => {
  let hung: HungServer;
  let answering: Server;
  let answeringUrl: string;
  beforeAll(async () => {
    hung = await startHungServer();
    answering = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t"}'));
    });
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    answeringUrl = `http://127.0.0.1:${(answering.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await hung.close();
    await new Promise((resolve) => answering.close(resolve));
  });

  it('answers 503 naming the identity provider when it does not answer, then refuses at once while it is down', async () => {
    const proxy = await proxyTo(`http://127.0.0.1:${hung.port}`);
    try {
      const first = await tokenRequest(proxy.url);
      expect(first.status).toBe(503);
      expect(first.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(first.headers.get('retry-after')).toBe('30');
      expect(((await first.json()) as { detail: string }).detail).toContain('identity provider');
      expect(proxy.guard.state()).toBe('open');
      const second = await tokenRequest(proxy.url);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBeTruthy();
      // The second was refused by the open breaker: it never reached the hung service.
      expect(hung.accepted()).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('passes answers through, and a body it refuses is no outage of the identity service', async () => {
    const proxy = await proxyTo(answeringUrl);
    try {
      const ok = await tokenRequest(proxy.url);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ access_token: 't' });
      // Streamed without a length, so the limit is found on the way, with the upstream request already open.
      const chunks = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('x'.repeat(MAX_TOKEN_BODY_BYTES + 1)));
          controller.close();
        },
      });
      const tooLarge = await withinPatience(
        fetch(proxy.url, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit),
      );
      expect(tooLarge.status).toBe(413);
      expect(proxy.guard.state()).toBe('closed');
      expect((await tokenRequest(proxy.url)).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});
