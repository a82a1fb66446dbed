import { loadConfig, type Config } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import { OrderStore } from '@esign/order-store';
import { connectTemporalClient, createRedis, createS3 } from '@esign/service-runtime';
import { inject } from 'vitest';
import './stack-info.js';

/** The stack's config, exactly as a service started against it would load it. */
export function stackConfig(): Config {
  return loadConfig(inject('stack').env);
}

export function gatewayUrl(path = ''): string {
  return `http://127.0.0.1:${inject('stack').env.GATEWAY_PORT}${path}`;
}

/** The gateway's operator port: `/healthz`, `/readyz`, `/metrics` and the diagnostics, never the public API port. */
export function gatewayOperatorUrl(path = ''): string {
  return `http://127.0.0.1:${inject('stack').env.GATEWAY_OPERATOR_PORT}${path}`;
}

/** Real clients of the stack's servers, built by the same code the services use; close them in afterAll. */
export async function stackClients() {
  const config = stackConfig();
  const redis = createRedis(config, () => undefined);
  const temporal = await connectTemporalClient(config, redis);
  const s3 = createS3(config);
  const keyPrefix = config.redis.keyPrefix;
  return {
    config,
    temporal,
    redis,
    s3,
    /** The upload store and order read model, as the services build them over the same clients. */
    store: new DocumentStore({ s3, redis, bucket: config.s3.buckets.documents, keyPrefix }),
    orders: new OrderStore({ redis, keyPrefix }),
    async close() {
      await temporal.connection.close();
      redis.disconnect();
    },
  };
}
