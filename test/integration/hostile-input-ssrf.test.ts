import { afterAll, beforeAll, describe, it } from 'vitest';
import { validOrder } from '../fuzz/corpus/requests.js';
import type { CorpusCase } from '../fuzz/corpus/types.js';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { expectCase, hostileInput } from '../support/hostile-input.js';

// SSRF targets on loopback that the test stack allows (its URL receivers run here) and a production gateway refuses:
// each refused, leaving nothing behind.
describe('hostile input', () => {
  hostileInput();

  describe('SSRF on a server that refuses loopback targets (the production default)', () => {
    let gateway: ExtraGateway;
    beforeAll(async () => {
      gateway = await startExtraGateway({ NOTIFICATION_URL_ALLOW_LOOPBACK: 'false', OTEL_TRACES_EXPORTER: 'none' });
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    const LOOPBACK = [
      'http://127.0.0.1/',
      'http://127.1/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://localhost./',
      'http://api.localhost/',
      'http://127.0.0.1\\@example.test/',
    ];
    for (const target of LOOPBACK) {
      it(`refuses a URL notification to ${target}, leaving nothing behind`, async () => {
        const k: CorpusCase = {
          name: target,
          group: 'ssrf',
          request: (ctx) => {
            const body = JSON.stringify(
              validOrder(ctx, { notifications: [{ id: 'n1', type: 'URL', recipient: target }] }),
            );
            return {
              method: 'POST',
              path: `${ctx.basePath}/orders`,
              headers: { 'content-type': 'application/json' },
              body,
            };
          },
          status: 400,
          violationAt: 'tasks[0].notifications[0].recipient',
          says: /loopback/,
        };
        await expectCase(k, gateway.url());
      });
    }
  });
});
