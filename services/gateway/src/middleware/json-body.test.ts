import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from './json-body.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(jsonBody('1kb'));
  app.all('/echo', (req, res) => {
    res.json({ hasBody: 'body' in req, body: (req as { body?: unknown }).body ?? null });
  });
  app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? 500).json({ status: err.status ?? 500 });
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A request over node:http, so the body can go chunked (Transfer-Encoding, no Content-Length). */
function send(method: string, body?: string, chunked = false): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (body !== undefined && !chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request(`${base}/echo`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('jsonBody', () => {
  it('lets a request without a body through untouched (no parser, no body property)', async () => {
    expect(await send('GET')).toEqual({ status: 200, json: { hasBody: false, body: null } });
    expect(await send('DELETE')).toEqual({ status: 200, json: { hasBody: false, body: null } });
  });

  it('parses bodies sent with a Content-Length and sent chunked', async () => {
    expect(await send('POST', '{"a":1}')).toEqual({ status: 200, json: { hasBody: true, body: { a: 1 } } });
    expect(await send('POST', '{"b":[2]}', true)).toEqual({ status: 200, json: { hasBody: true, body: { b: [2] } } });
  });

  it('still refuses what the parser refuses, however the body is sent', async () => {
    expect((await send('POST', '"just a string"')).status).toBe(400);
    expect((await send('POST', `{"x":"${'y'.repeat(2000)}"}`, true)).status).toBe(413);
  });
});
