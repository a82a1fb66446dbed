import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  url: URL;
  method: string;
  headers: IncomingHttpHeaders;
  at: number;
}

/** A "status" for `startReceiver`: the call is recorded and never answered (the connection stays open). */
export const HOLD = -1;

/**
 * A local URL-notification receiver: answers each call with the next status of `statuses` (the last one repeats;
 * `HOLD`: no answer), and records every call. `url` is its base address on 127.0.0.1.
 */
export async function startReceiver(statuses: number[] = [200]) {
  const calls: ReceivedCall[] = [];
  const server: Server = createServer((req, res) => {
    const status = statuses[Math.min(calls.length, statuses.length - 1)]!;
    calls.push({
      url: new URL(req.url!, 'http://receiver'),
      method: req.method!,
      headers: req.headers,
      at: Date.now(),
    });
    if (status === HOLD) return;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** Changes what the next calls are answered with. */
    answer(next: number[]) {
      statuses.splice(0, statuses.length, ...Array<number>(calls.length).fill(0), ...next);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
