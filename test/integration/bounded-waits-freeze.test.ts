import { rmSync } from 'node:fs';
import type { Stack } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEPENDENCY_OF,
  FROZEN_SERVERS,
  freezeAndProbe,
  startFreezeStack,
  type MerchantClient,
} from '../load/freeze.js';
import { requestToken } from '../support/token.js';

// Each real server of a stack of its own (so freezing it disturbs no other test file) is stopped with SIGSTOP while
// a merchant uploads, creates orders and reads, and then resumed. Every request must be answered before the client's
// own timeout: 2xx, or 503 with Retry-After naming the frozen dependency; nothing answered 2xx may be missing after
// the resume, and full service must come back (freezeAndProbe fails when it has not within 120 s). The reduced form of `npm run bench:bounded-waits` (45 s freezes).
const CLIENT_TIMEOUT_MS = 10_000;

describe('bounded waits: a frozen dependency gets a fast, clear answer', () => {
  let dataDir: string | undefined;
  let stack: Stack;
  let merchant: MerchantClient;

  beforeAll(async () => {
    ({ stack, dataDir } = await startFreezeStack('bounded-waits'));
    const { access_token } = await requestToken(stack.urls.api, 'demo-merchant', 'demo-secret');
    merchant = {
      api: `${stack.urls.api}/enterprise/sign`,
      authorization: `Bearer ${access_token}`,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
    };
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const server of FROZEN_SERVERS) {
    it(
      `${server} frozen: 2xx or 503 naming ${DEPENDENCY_OF[server]}, nothing lost, full service after the resume`,
      {
        timeout: 240_000,
      },
      async () => {
        const result = await freezeAndProbe(stack, server, merchant, { frozenMs: 8_000, rounds: 2 });
        const table = result.probes.map((p) => `${p.op}: ${p.status} ${p.detail ?? ''}`).join('\n');
        for (const p of result.probes) {
          // 0: the client gave up first (or the connection failed); a 500 is a fault, not an outage answer.
          expect([200, 201, 503], `${p.op}\n${table}`).toContain(p.status);
          if (p.status === 503) {
            expect(Number(p.retryAfter), `${p.op}\n${table}`).toBeGreaterThan(0);
            expect(p.detail, `${p.op}\n${table}`).toContain(DEPENDENCY_OF[server]);
          }
        }
        // The frozen dependency is the one each operation needs, so at least one of them was refused for it.
        expect(
          result.probes.some((p) => p.status === 503),
          table,
        ).toBe(true);
        expect(result.lost, table).toEqual([]);
      },
    );
  }
});
