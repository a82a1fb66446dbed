// A throwaway stack for a benchmark, plus a demo merchant token: started in a temp dir, stopped and removed after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { freeStackPorts, startStack, type ServiceName, type Stack } from '@esign/devstack';

export interface BenchStack {
  stack: Stack;
  /** The API base URL, e.g. http://127.0.0.1:PORT/enterprise/sign. */
  api: string;
  auth: { authorization: string };
  stop(): Promise<void>;
}

export async function startBenchStack(name: string, services: readonly ServiceName[]): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `esign-bench-${name}-`));
  const stack = await startStack({
    dataDir,
    ports: await freeStackPorts(),
    s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
    persistentRedis: false,
    services,
  });
  const tokenRes = await fetch(`${stack.urls.api}/auth/open/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('demo-merchant:demo-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'signicat-api' }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  return {
    stack,
    api: `${stack.urls.api}/enterprise/sign`,
    auth: { authorization: `Bearer ${token}` },
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
