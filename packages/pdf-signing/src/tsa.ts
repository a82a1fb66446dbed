// A local RFC 3161 time-stamping authority for tests and the dev stack: `openssl ts -reply` behind a Node HTTP
// server on 127.0.0.1 (POST application/timestamp-query → application/timestamp-reply).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCa, issueCertificate, type KeyAndCert } from './certs.js';
import { run } from './run.js';

export interface LocalTsa {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  /** The root validators must trust for the timestamp (the given CA, or the TSA's own dev root). */
  caPem: string;
  stop(): Promise<void>;
}

const MAX_QUERY_BYTES = 64 * 1024;

const CONFIG = `[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = .
serial = ./tsaserial
crypto_device = builtin
signer_cert = ./tsa.pem
certs = ./tsa-ca.pem
signer_key = ./tsa.key.pem
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

/**
 * Starts a TSA whose files live in `dir` (made if missing; a TSA certificate and, without `ca`, a TSA root are
 * created on first start and reused later). `ca`: the CA that issues the TSA certificate (its key is needed).
 */
export async function startLocalTsa(dir: string, ca?: KeyAndCert): Promise<LocalTsa> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => join(dir, name);
  if (!existsSync(file('tsa.pem')) || !existsSync(file('tsa-ca.pem'))) {
    const root = ca ?? createCa('esign dev TSA root', 'esign (development)');
    const tsa = issueCertificate(root, 'timestamping', 'esign dev TSA', 'esign (development)');
    await writeFile(file('tsa.key.pem'), tsa.keyPem, { mode: 0o600 });
    await writeFile(file('tsa.pem'), tsa.certPem);
    await writeFile(file('tsa-ca.pem'), root.certPem);
  }
  await writeFile(file('tsa.cnf'), CONFIG);
  if (!existsSync(file('tsaserial'))) await writeFile(file('tsaserial'), '01\n');
  const caPem = await readFile(file('tsa-ca.pem'), 'utf8');

  // openssl keeps the serial in a file: one reply at a time.
  let queue: Promise<unknown> = Promise.resolve();
  let counter = 0;
  const reply = (query: Buffer): Promise<Buffer> => {
    const next = queue.then(async () => {
      const n = ++counter;
      const [q, r] = [file(`query-${n}.tsq`), file(`reply-${n}.tsr`)];
      try {
        await writeFile(q, query);
        const out = await run('openssl', ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', q, '-out', r], {
          cwd: dir,
        });
        if (out.code !== 0) throw new Error(`openssl ts -reply failed: ${out.stderr}`);
        return await readFile(r);
      } finally {
        await rm(q, { force: true });
        await rm(r, { force: true });
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    readBody(req)
      .then(reply)
      .then((der) => {
        res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': der.length }).end(der);
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    caPem,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_QUERY_BYTES) throw new Error('timestamp query too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
