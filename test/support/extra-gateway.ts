import { freePort, startServices, type RunningService } from '@esign/devstack';
import { inject } from 'vitest';
import { extraLogDir } from './extra-logs.js';

export interface ExtraGateway {
  url(path?: string): string;
  /** Its operator port: health, metrics and diagnostics. */
  operatorUrl(path?: string): string;
  stop(): Promise<void>;
  service: RunningService;
}

/**
 * A second gateway process on the test stack with some settings changed (a dead Redis, a short upload TTL, a low
 * rate limit…; `undefined` removes a variable of the stack's). It trusts the same token issuer, so the merchants'
 * tokens work on it too.
 */
export async function startExtraGateway(
  overrides: Record<string, string | undefined>,
  waitFor: 'ready' | 'alive' = 'ready',
) {
  const [port, operatorPort] = [await freePort(), await freePort()];
  const merged: Record<string, string | undefined> = {
    ...inject('stack').env,
    ...overrides,
    GATEWAY_PORT: String(port),
    GATEWAY_OPERATOR_PORT: String(operatorPort),
  };
  const env = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
  const logDir = extraLogDir('gateway');
  const [service] = await startServices({ names: ['gateway'], env, logDir, waitFor });
  return {
    service: service!,
    url: (path = '') => `http://127.0.0.1:${port}${path}`,
    operatorUrl: (path = '') => `http://127.0.0.1:${operatorPort}${path}`,
    stop: () => service!.process.stop(),
  } satisfies ExtraGateway;
}
