import { createServer, type Socket } from 'node:net';

export interface HungServer {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

/** A TCP server that accepts every connection and never answers: a hung SMTP server, HTTP API or issuer. */
export async function startHungServer(): Promise<HungServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Settles with what `call` settles with, or fails saying it was still waiting after `ms` (the caller's patience). */
export function withinPatience<T>(call: Promise<T>, ms = 10_000): Promise<T> {
  const patience = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('still waiting at the client timeout')), ms).unref(),
  );
  return Promise.race([call, patience]);
}
