import { freePort, startServices, type RunningService } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { extraLogDir } from '../support/extra-logs.js';
import { MERCHANTS } from '../support/merchants.js';

const stack = inject('stack');
const PER_ADDRESS = 3;
const PER_CLIENT = 5;
const { demo, other } = MERCHANTS;

// Issue 29, finding 10: 100 wrong client secrets in 436 ms, none refused. On a second identity service with low
// limits (so the stack's own is never locked), reached directly as if through one proxy (IDENTITY_TRUSTED_PROXY_HOPS
// 1: the last X-Forwarded-For entry is the client) and through a gateway forwarding /auth/open to it.
describe('guessing client secrets at the token endpoint', () => {
  let identity: RunningService | undefined;
  let identityUrl: string;
  let gateway: ExtraGateway;

  beforeAll(async () => {
    const port = await freePort();
    identityUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...stack.env,
      IDENTITY_PORT: String(port),
      IDENTITY_AUTH_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
      IDENTITY_AUTH_FAILURES_PER_CLIENT: String(PER_CLIENT),
      IDENTITY_AUTH_FAILURE_WINDOW_SECONDS: '120',
    };
    [identity] = await startServices({ names: ['identity'], env, logDir: extraLogDir('identity-throttle') });
    gateway = await startExtraGateway({ AUTH_PROXY_TARGET: identityUrl });
  });
  afterAll(async () => {
    await gateway?.stop();
    await identity?.process.stop();
  });

  /** A client-credentials request, as a client at `from` (the X-Forwarded-For the proxy in front would write). */
  const token = (clientId: string, secret: string, from: string, origin = identityUrl) =>
    fetch(`${origin}/auth/open/connect/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': from,
      },
      body: 'grant_type=client_credentials&scope=signicat-api',
    });

  async function expectThrottled(res: Response): Promise<void> {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    const body = (await res.json()) as { error: string; error_description: string; access_token?: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toMatch(/retry after \d+ s/);
    expect(body.access_token).toBeUndefined();
  }

  it('never limits successful logins', async () => {
    for (let i = 0; i < PER_ADDRESS * 3; i++)
      expect((await token(demo.clientId, demo.secret, '192.0.2.10')).status).toBe(200);
  });

  it('locks an address after its failures, for every client and even the right secret; other addresses go on', async () => {
    // Through the gateway: the test's own address, whatever X-Forwarded-For it writes itself.
    const viaGateway = (clientId: string, secret: string, forged: string) =>
      token(clientId, secret, forged, gateway.url());
    for (let i = 0; i < PER_ADDRESS; i++) {
      const res = await viaGateway(demo.clientId, `guess-${i}`, `203.0.113.${i}`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    }
    await expectThrottled(await viaGateway(demo.clientId, demo.secret, '203.0.113.99'));
    await expectThrottled(await viaGateway(other.clientId, other.secret, '203.0.113.98'));
    await expectThrottled(await viaGateway('no-such-client', 'x', '203.0.113.97'));
    // The merchant's own server, elsewhere, is not locked out; nor is another client.
    expect((await token(demo.clientId, demo.secret, '192.0.2.10')).status).toBe(200);
    expect((await token(other.clientId, other.secret, '198.51.100.20')).status).toBe(200);
  });

  it('locks a client id guessed at from many addresses, except where it got tokens before', async () => {
    // Failures so far for demo-merchant: PER_ADDRESS through the gateway. The rest, each from an address of its own.
    for (let i = PER_ADDRESS; i < PER_CLIENT; i++) {
      expect((await token(demo.clientId, `guess-${i}`, `198.51.100.${100 + i}`)).status).toBe(401);
    }
    await expectThrottled(await token(demo.clientId, demo.secret, '198.51.100.200'));
    await expectThrottled(await token(demo.clientId, 'guess-again', '198.51.100.201'));
    expect((await token(demo.clientId, demo.secret, '192.0.2.10')).status).toBe(200);
    expect((await token(other.clientId, other.secret, '198.51.100.202')).status).toBe(200);
  });

  it('counts a guessed unknown client id against the address only', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) expect((await token(`nobody-${i}`, 'x', '198.51.100.50')).status).toBe(401);
    await expectThrottled(await token(other.clientId, other.secret, '198.51.100.50'));
    expect((await token(other.clientId, other.secret, '198.51.100.51')).status).toBe(200);
  });
});
