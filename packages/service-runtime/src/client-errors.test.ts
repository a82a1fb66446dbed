import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from './client-errors.js';

/** Sends raw bytes and reads the whole answer until the server closes (or 5 s pass). */
function sendRaw(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes);
  });
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe('answerClientErrors', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    answerClientErrors(server);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((res) => server.close(() => res()));
  });

  const cases = [
    { name: 'headers over 16 KiB', bytes: `GET /${'A'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, status: 431 },
    { name: 'a malformed request line', bytes: 'NOT HTTP AT ALL\r\n\r\n', status: 400 },
    {
      name: 'raw non-ASCII bytes in the path',
      bytes: Buffer.concat([
        Buffer.from('GET /d'),
        Buffer.from([0xff, 0x00]),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
      ]),
      status: 400,
    },
  ];
  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} problem+json and closes the connection`, async () => {
      const answer = parse(await sendRaw(port, c.bytes));
      expect(answer.status).toBe(c.status);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers.connection).toBe('close');
      const problem = JSON.parse(answer.body) as Record<string, unknown>;
      expect(problem).toMatchObject({ type: 'about:blank', status: c.status });
      expect(problem.detail).toEqual(expect.any(String));
      expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(Buffer.byteLength(answer.body)).toBe(Number(answer.headers['content-length']));
      // Nothing of the refused request comes back.
      expect(answer.body).not.toContain('AAAA');
    });
  }

  it('keeps serving well-formed requests', async () => {
    const answer = parse(await sendRaw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('ok');
  });
});
