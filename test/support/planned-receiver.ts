// A URL receiver for the notification activity tests, which need more than receiver.ts plans: a delay or a redirect
// per call, and a body the caller need not read.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReceivedCall {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A local HTTP receiver: answers each call with the next planned status (the last one repeats). */
export async function startPlannedReceiver(): Promise<{
  url: string;
  calls: ReceivedCall[];
  plan(...steps: Array<number | { status: number; delayMs?: number; location?: string }>): void;
  stop(): Promise<void>;
}> {
  const calls: ReceivedCall[] = [];
  let steps: Array<{ status: number; delayMs?: number; location?: string }> = [{ status: 200 }];
  const server: Server = createServer((req, res) => {
    calls.push({ url: req.url ?? '', headers: req.headers });
    const step = steps.length > 1 ? steps.shift()! : steps[0]!;
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(step.status, step.location ? { Location: step.location } : {});
      res.end('x'.repeat(64 * 1024)); // a body the caller need not read
    };
    if (step.delayMs) setTimeout(answer, step.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    plan: (...planned) => {
      steps = planned.map((s) => (typeof s === 'number' ? { status: s } : s));
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
