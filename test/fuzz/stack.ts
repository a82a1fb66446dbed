// A throwaway stack for `npm run fuzz`: every service on free ports in a temp dir, without the per-merchant rate
// limit (a fuzzer sends far more than a merchant may) and with tokens that outlive the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { freeStackPorts, SERVICES, startStack, type ServiceName, type Stack } from '@esign/devstack';

export interface FuzzStack {
  stack: Stack;
  dataDir: string;
  /** The gateway's origin, e.g. http://127.0.0.1:PORT. */
  origin: string;
  /** Stops every process of the stack (by pid); its files stay until `remove`. */
  stop(): Promise<void>;
  /** Deletes the stack's data dir and logs (kept when ESIGN_KEEP_TEST_DATA is set). */
  remove(): void;
}

export async function startFuzzStack(log?: (message: string) => void): Promise<FuzzStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-fuzz-'));
  try {
    const stack = await startStack({
      dataDir,
      ports: await freeStackPorts(),
      s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
      persistentRedis: false,
      services: Object.keys(SERVICES) as ServiceName[],
      extraEnv: { RATE_LIMIT_REQUESTS: '0', IDENTITY_TOKEN_TTL_SECONDS: '7200' },
      log,
    });
    return {
      stack,
      dataDir,
      origin: stack.urls.api,
      stop: () => stack.stop(),
      remove: () => {
        if (!process.env.ESIGN_KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
