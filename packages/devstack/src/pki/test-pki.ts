// A test PKI on its own, for tests of signing code that need no whole stack: certomancer on a free port, the seal
// key as a PKCS#12 file or in a SoftHSM2 token, stopped by pid.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../ports.js';
import type { PkiOptions } from './pki.js';
import type { SealKeyMode } from './seal-key.js';
import { setUpPki, type StackPki } from './stack-pki.js';

export interface TestPki extends StackPki {
  /** The services' environment for this PKI: SIGNING_TSA_URL, and the SIGNING_PKCS11_* of a token. */
  env: Record<string, string>;
  /** Stops certomancer (by pid): every OCSP, CRL and TSA request fails from then on. */
  stop(): Promise<void>;
}

export async function startTestPki(opts: {
  dataDir: string;
  sealKey?: SealKeyMode;
  pki?: PkiOptions;
}): Promise<TestPki> {
  const logDir = join(opts.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const setup = await setUpPki({
    dataDir: opts.dataDir,
    logDir,
    port: await freePort(),
    sealKey: opts.sealKey ?? 'pkcs12',
    ...(opts.pki ? { options: opts.pki } : {}),
  });
  let server = await setup.start();
  try {
    const env = await setup.install(server);
    const pki = setup.pki(server, async () => {
      await server.process.stop();
      server = await setup.start();
    });
    return { ...pki, env, stop: () => server.process.stop() };
  } catch (err) {
    await server.process.stop();
    throw err;
  }
}
