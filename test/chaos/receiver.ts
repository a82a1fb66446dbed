// The merchant's URL-notification endpoint for the chaos run, in this process (never restarted): it counts every
// call by its X-Sign-Delivery-Id, and answers the first call of some deliveries with 503 so that retries happen
// while the faults do.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UrlDeliveryCalls {
  /** Every call, in order of arrival: the status answered and the query it carried. */
  calls: Array<{ status: number; at: number; requestId: string | null; taskId: string | null }>;
  /** Calls answered 200: a delivery. More than one is a duplicate (the sender was told it was delivered). */
  delivered: number;
}

export interface UrlReceiver {
  url: string;
  byDelivery: Map<string, UrlDeliveryCalls>;
  /** Calls without an X-Sign-Delivery-Id (none are expected). */
  anonymous: number;
  stop(): Promise<void>;
}

/** Deterministically picks about `share` of the delivery ids (by hash) to be refused with 503 on their first call. */
export function refusesFirst(deliveryId: string, share: number): boolean {
  return createHash('sha256').update(deliveryId).digest().readUInt16BE(0) / 65536 < share;
}

export async function startUrlReceiver(opts: { refuseFirstShare: number }): Promise<UrlReceiver> {
  const byDelivery = new Map<string, UrlDeliveryCalls>();
  const receiver = { anonymous: 0 };
  const server: Server = createServer((req, res) => {
    const id = req.headers['x-sign-delivery-id'];
    const query = new URL(req.url ?? '/', 'http://receiver').searchParams;
    if (typeof id !== 'string') {
      receiver.anonymous++;
      res.writeHead(400).end();
      return;
    }
    const entry = byDelivery.get(id) ?? { calls: [], delivered: 0 };
    byDelivery.set(id, entry);
    const status = entry.calls.length === 0 && refusesFirst(id, opts.refuseFirstShare) ? 503 : 200;
    entry.calls.push({ status, at: Date.now(), requestId: query.get('requestId'), taskId: query.get('taskId') });
    if (status === 200) entry.delivered++;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    byDelivery,
    get anonymous() {
      return receiver.anonymous;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
