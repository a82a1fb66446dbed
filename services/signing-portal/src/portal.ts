import { loadSigningConfigurations, type Config, type SigningConfiguration } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import type { Logger } from '@esign/observability';
import { OneTimeCodeStore } from '@esign/one-time-codes';
import { Artifacts, CreationReservations, OrderReader, OrderStore } from '@esign/order-store';
import { documentBytesMetric, withLinkedSpan, type DocumentBytes, type Registry } from '@esign/service-runtime';
import type { SignerAction, SignerActionResult } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { IdentityMethods } from './identity.js';
import { SignerLimits } from './limits.js';
import { SessionStore, type PortalSession } from './session.js';
import { sendSignerAction } from './signer-actions.js';

export interface PortalDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
  identity?: IdentityMethods;
  configurations?: Map<string, SigningConfiguration>;
  /** The process's Prometheus registry, served on `/metrics` of the operator port (one is created when absent). */
  registry?: Registry;
}

/** What every room of the portal works with, built once per process. */
export interface Portal {
  config: Config;
  logger: Logger;
  temporal: Client;
  reader: OrderReader;
  store: DocumentStore;
  sessions: SessionStore;
  limits: SignerLimits;
  codes: OneTimeCodeStore;
  /** Single-sign-on artifacts of creation answers, redeemed once at the link. */
  artifacts: Artifacts;
  identity: IdentityMethods;
  configurations: Map<string, SigningConfiguration>;
  documentBytes: DocumentBytes;
  /** Cookies are `Secure` when the portal's public URL is https. */
  secure: boolean;
  /** Sends a signer action to the session's task workflow (the span linked to the order's creation). */
  act(session: PortalSession, action: SignerAction): Promise<SignerActionResult>;
}

export function createPortalContext(deps: PortalDeps, registry: Registry): Portal {
  const { config, redis } = deps;
  const keyPrefix = config.redis.keyPrefix;
  const orders = new OrderStore({ redis, keyPrefix });
  return {
    config,
    logger: deps.logger,
    temporal: deps.temporal,
    reader: new OrderReader(orders, new CreationReservations({ redis, keyPrefix })),
    store: new DocumentStore({ s3: deps.s3, redis, bucket: config.s3.buckets.documents, keyPrefix }),
    sessions: new SessionStore({ redis, keyPrefix, idleSeconds: config.portal.sessionIdleSeconds }),
    limits: new SignerLimits({ redis, keyPrefix, limits: config.portal.limits }),
    codes: new OneTimeCodeStore({ redis, keyPrefix }),
    artifacts: new Artifacts({ redis, keyPrefix, lifetimeSeconds: config.portal.artifactLifetimeSeconds }),
    identity:
      deps.identity ??
      new IdentityMethods(config.identityProviders, {
        redirectUri: `${config.signingPortalUrl}/std/callback`,
        deadlineMs: config.deadlines.identityMs,
      }),
    configurations: deps.configurations ?? loadSigningConfigurations(config.portal.configurationsFile),
    documentBytes: documentBytesMetric(registry),
    secure: config.signingPortalUrl.startsWith('https:'),
    act: (session, action) =>
      withLinkedSpan(`signer action ${action.type}`, session.traceparent, () =>
        sendSignerAction(deps.temporal, session.orderId, session.taskId, action),
      ),
  };
}
