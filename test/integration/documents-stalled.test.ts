import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { startExtraGateway, type ExtraGateway } from '../support/extra-gateway.js';
import { accessToken, MERCHANTS } from '../support/merchants.js';
import { objectKeys } from '../support/objects.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

describe('stalled uploads', () => {
  let c: Clients;
  let gateway: ExtraGateway;
  beforeAll(async () => {
    c = await stackClients();
    gateway = await startExtraGateway({ UPLOAD_IDLE_TIMEOUT_SECONDS: '1' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await c.close();
  });

  it('abandons an upload whose client stops sending: 408, and nothing is kept', async () => {
    const before = await objectKeys(c, `uploads/${MERCHANTS.demo.merchantId}/`);
    const token = await accessToken('demo');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(gateway.url('/enterprise/sign/documents'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'content-length': '1000' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('only the first bytes…'); // then silence: the request is never finished
    });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 408 });
    expect(await objectKeys(c, `uploads/${MERCHANTS.demo.merchantId}/`)).toEqual(before);
  });
});
