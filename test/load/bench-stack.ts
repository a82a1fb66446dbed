// A throwaway stack for a benchmark, plus a demo merchant token: started in a temp dir, stopped and removed after.
// The services run as the container image runs them: esbuild bundles by plain node, the orchestrator on the prebuilt
// workflow bundle (scripts/build-services.mjs), built into the temp dir first.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS, loadConfig } from '@esign/config';
import { freeStackPorts, startStack, type ServiceName, type Stack } from '@esign/devstack';
import { connectTemporalClient, createRedis } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import { buildServices } from '../../scripts/build-services.mjs';
import { requestToken } from '../support/token.js';

export interface BenchStack {
  stack: Stack;
  /** The API base URL, e.g. http://127.0.0.1:PORT/enterprise/sign. */
  api: string;
  auth: { authorization: string };
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Merged last into the services' environment (e.g. a rate limit no benchmark round reaches). */
  extraEnv?: Record<string, string>;
}

export async function startBenchStack(
  name: string,
  services: readonly ServiceName[],
  opts: BenchStackOptions = {},
): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `esign-bench-${name}-`));
  const stack = await buildServices({ outDir: join(dataDir, 'dist'), linkExternals: true })
    .then(async (bundleDir) =>
      startStack({
        dataDir,
        bundleDir,
        ports: await freeStackPorts(),
        s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
        persistentRedis: false,
        services,
        ...(opts.extraEnv ? { extraEnv: opts.extraEnv } : {}),
      }),
    )
    .catch((err: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
  const stop = async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { access_token: token } = await requestToken(stack.urls.api, 'demo-merchant', 'demo-secret');
    return { stack, api: `${stack.urls.api}/enterprise/sign`, auth: { authorization: `Bearer ${token}` }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Requests sent again by `benchFetch` and `benchPost` after their connection failed (each also said on stderr). */
export const resent = { count: 0 };

const SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Runs `send` once more when its connection failed before any answer (what a browser does when a kept-alive
 * connection turns out to be closed: on a loaded machine the server's keep-alive timer may fire just as a request
 * arrives). The retry's time counts. Anything else, and a second failure, is thrown.
 */
async function onceMoreOnSocketError<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    // fetch wraps the socket error in a TypeError (its cause); node:http gives it as is.
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    if (!code || !SOCKET_ERRORS.has(code)) throw err;
    resent.count++;
    process.stderr.write(`${what}: connection failed (${code}), sent once more\n`);
    return send();
  }
}

/** `fetch`, sent once more when its connection failed before any answer. */
export function benchFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return onceMoreOnSocketError(`${init.method ?? 'GET'} ${url}`, () => fetch(url, init));
}

/** Kept-alive connections for `benchPost`, as the S3 client keeps its own. */
const keepAlive = new Agent({ keepAlive: true });

/**
 * POSTs a buffer with node:http — the transport the S3 client of the raw comparisons uses — instead of fetch, whose
 * extra client-side CPU (about 5 ms per MiB here) would otherwise be charged to the gateway on the shared cores. Sent
 * once more when its kept-alive connection failed before any answer, as `benchFetch` does.
 */
export function benchPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  const once = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        agent: keepAlive,
        headers: { ...headers, 'content-length': String(body.length) },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return onceMoreOnSocketError(`POST ${url}`, once);
}

/**
 * A Temporal client of the stack of `env`, made as the services make theirs (payloads encrypted, orders' data keys in
 * the stack's Redis). Closing its connection also closes that Redis client.
 */
export async function stackTemporalClient(env: Record<string, string>): Promise<Client> {
  const config = loadConfig(env);
  const redis = createRedis(config, () => undefined);
  const client = await connectTemporalClient(config, redis);
  const close = client.connection.close.bind(client.connection);
  client.connection.close = async () => {
    await close();
    redis.disconnect();
  };
  return client;
}
