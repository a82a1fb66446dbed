import { loadConfig, parseEnv, type Config } from '@esign/config';
import { DEV_CLIENTS_FILE } from '@esign/identity/config';
import { DeliveryLedger } from '@esign/notification';
import { OrderStore } from '@esign/order-store';
import { connectTemporalClient, createRedis } from '@esign/service-runtime';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { z } from 'zod';

// What the CLI reads besides the services' own configuration (it runs with the same environment as they do).
const opsEnv = z.object({
  /** Links to workflows in the Temporal UI are built on this. */
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  /** The identity service's merchant clients file (as the service reads it). */
  IDENTITY_CLIENTS_FILE: z.string().min(1).default(DEV_CLIENTS_FILE),
});

export type OpsSettings = z.infer<typeof opsEnv>;

export interface OpsContext {
  env: NodeJS.ProcessEnv;
  config(): Config;
  settings(): OpsSettings;
  temporal(): Promise<Client>;
  redis(): Redis;
  orders(): OrderStore;
  ledger(): DeliveryLedger;
  /** The Temporal UI page of a workflow run. */
  workflowUrl(workflowId: string, runId?: string): string;
  close(): Promise<void>;
}

/** Clients are made on first use, so a command touches only what it needs (and `doctor` can report each failure). */
export function createContext(env: NodeJS.ProcessEnv): OpsContext {
  let config: Config | undefined;
  let settings: OpsSettings | undefined;
  let temporal: Promise<Client> | undefined;
  let redis: Redis | undefined;
  const ctx: OpsContext = {
    env,
    config: () => (config ??= loadConfig(env)),
    settings: () => (settings ??= parseEnv(opsEnv, env, 'ops configuration')),
    temporal: () => (temporal ??= connectTemporalClient(ctx.config(), ctx.redis())),
    // Errors surface on the commands that use Redis; the client's own error events would only repeat them.
    redis: () => (redis ??= createRedis(ctx.config(), () => undefined)),
    orders: () => new OrderStore({ redis: ctx.redis(), keyPrefix: ctx.config().redis.keyPrefix }),
    ledger: () => new DeliveryLedger({ redis: ctx.redis(), keyPrefix: ctx.config().redis.keyPrefix }),
    workflowUrl(workflowId, runId) {
      const base = ctx.settings().TEMPORAL_UI_URL.replace(/\/+$/, '');
      const ns = encodeURIComponent(ctx.config().temporal.namespace);
      const run = runId ? `/${encodeURIComponent(runId)}` : '';
      return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}${run}/history`;
    },
    async close() {
      redis?.disconnect();
      if (temporal) await (await temporal.catch(() => undefined))?.connection.close();
    },
  };
  return ctx;
}
