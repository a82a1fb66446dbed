import { freePort, startServices, type RunningService } from '@esign/devstack';
import { inject } from 'vitest';
import { extraLogDir } from './extra-logs.js';

export interface ExtraGateway {
  url(path?: string): string;
  stop(): Promise<void>;
  service: RunningService;
}

/**
 * A second gateway process on the test stack with some settings changed (a dead Redis, a short upload TTL, a low
 * rate limit…). It trusts the same token issuer, so the merchants' tokens work on it too.
 */
export async function startExtraGateway(overrides: Record<string, string>, waitFor: 'ready' | 'alive' = 'ready') {
  const port = await freePort();
  const env = { ...inject('stack').env, ...overrides, GATEWAY_PORT: String(port) };
  const logDir = extraLogDir('gateway');
  const [service] = await startServices({ names: ['gateway'], env, logDir, waitFor });
  return {
    service: service!,
    url: (path = '') => `http://127.0.0.1:${port}${path}`,
    stop: () => service!.process.stop(),
  } satisfies ExtraGateway;
}
