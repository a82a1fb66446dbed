import { rmSync } from 'node:fs';
import { loadConfig } from '@esign/config';
import type { Stack } from '@esign/devstack';
import { connectTemporalClient, createRedis } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../chaos/mailbox.js';
import { startUrlReceiver, type UrlReceiver } from '../chaos/receiver.js';
import { awaitNotifications } from '../load/freeze-notifications.js';
import { awaitSigned } from '../load/freeze-signing.js';
import {
  DEPENDENCY_OF,
  FREEZE_TARGETS,
  freezeAndProbe,
  startFreezeStack,
  type MerchantClient,
} from '../load/freeze.js';
import { requestToken, tokenRequest } from '../support/token.js';

// Each real server, the SMTP server and each worker, of a stack of its own (so freezing them disturbs no other test
// file), is stopped with SIGSTOP while a merchant uploads, creates orders (each with an e-mail and a URL callback, its
// result to be archived) and reads, and signers sign orders made before, and then resumed. Every request must be
// answered before the client's own timeout: 2xx, or 503 with Retry-After naming the frozen dependency (a signer's
// click: 200, or 503 with Retry-After); nothing answered 2xx may be missing after the resume, full service must come
// back (freezeAndProbe fails when it has not within 120 s), every order's notifications must arrive exactly once, and
// every order a signer tried to sign must end signed, its result readable and archived. The reduced form of
// `npm run bench:bounded-waits` (45 s).
const CLIENT_TIMEOUT_MS = 10_000;

describe('bounded waits: a frozen dependency or worker gets a fast, clear answer and loses nothing', () => {
  let dataDir: string | undefined;
  let stack: Stack;
  let merchant: MerchantClient;
  let receiver: UrlReceiver;
  let mailbox: Mailbox;
  let redis: Redis;
  let signer: Client;

  beforeAll(async () => {
    ({ stack, dataDir } = await startFreezeStack('bounded-waits'));
    receiver = await startUrlReceiver({ refuseFirstShare: 0 });
    mailbox = new Mailbox(stack.urls.mailUi);
    const config = loadConfig(stack.env);
    redis = createRedis(config, () => undefined);
    signer = await connectTemporalClient(config, redis);
    const { access_token } = await requestToken(stack.urls.api, 'demo-merchant', 'demo-secret');
    merchant = {
      api: `${stack.urls.api}/enterprise/sign`,
      authorization: `Bearer ${access_token}`,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
      receiverUrl: receiver.url,
      requestToken: (signal) =>
        tokenRequest(`${stack.urls.api}/auth/open/connect/token`, 'demo-merchant', 'demo-secret', 'basic', signal),
    };
  });
  afterAll(async () => {
    await signer?.connection.close();
    redis?.disconnect();
    await receiver?.stop();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const target of FREEZE_TARGETS) {
    const dependency = DEPENDENCY_OF[target];
    it(
      `${target} frozen: ${dependency ? `2xx or 503 naming ${dependency}` : 'every request 2xx'}, nothing lost, ` +
        'full service after the resume, every notification once, every signature sealed and archived',
      { timeout: 240_000 },
      async () => {
        const result = await freezeAndProbe(stack, target, merchant, {
          frozenMs: 8_000,
          rounds: 2,
          signer: { client: signer, signs: 3 },
        });
        const table = result.probes.map((p) => `${p.op}: ${p.status} ${p.detail ?? ''}`).join('\n');
        const failed = (p: { op: string; detail?: string }) => `${p.op} (${p.detail ?? ''})\n${table}`;
        for (const p of result.probes) {
          // 0: the client gave up first (or the connection failed); a 500 is a fault, not an outage answer.
          if (p.op === 'sign') {
            // The portal cannot tell which part held the seal: "try again" (Temporal did not answer in time).
            expect([200, 503], failed(p)).toContain(p.status);
            if (p.status === 503) expect(Number(p.retryAfter), `${p.op}\n${table}`).toBeGreaterThan(0);
            continue;
          }
          expect(dependency ? [200, 201, 503] : [200, 201], `${p.op}\n${table}`).toContain(p.status);
          if (p.status === 503) {
            expect(Number(p.retryAfter), `${p.op}\n${table}`).toBeGreaterThan(0);
            expect(p.detail, `${p.op}\n${table}`).toContain(dependency);
          }
        }
        // The frozen dependency is the one each operation needs, so at least one of them was refused for it.
        if (dependency)
          expect(
            result.probes.some((p) => p.status === 503),
            table,
          ).toBe(true);
        expect(result.lost, table).toEqual([]);

        const notifications = await awaitNotifications(
          result,
          { receiver, mailbox },
          { timeoutMs: 120_000, quietMs: 2000 },
        );
        expect(result.orders.length).toBeGreaterThan(1);
        expect(notifications.missing).toEqual([]);
        expect(notifications.duplicates).toEqual([]);
        expect(notifications.deliveredOnce).toBe(2 * result.orders.length);

        expect(result.signTried.length, table).toBeGreaterThan(0);
        const signed = await awaitSigned(merchant, signer, result.signTried, result.resumedAt, 120_000);
        expect(signed.incomplete).toEqual([]);
        expect(signed.complete).toBe(result.signTried.length);
      },
    );
  }
});
