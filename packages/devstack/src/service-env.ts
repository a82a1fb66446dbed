import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import type { StackOptions } from './stack-types.js';
import { TEST_EID_CLIENT, TEST_EID_SECRET_ENV, testEidProviders } from './test-eid-providers.js';
import { ROOT } from './tools.js';

/** The services' environment, pointing at the stack's servers and ports. */
export function serviceEnv(o: StackOptions, pkiEnv: Record<string, string>): Record<string, string> {
  const p = o.ports;
  return {
    TEMPORAL_ADDRESS: `127.0.0.1:${p.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
    S3_ENDPOINT: `http://127.0.0.1:${p.s3}`,
    S3_ACCESS_KEY: o.s3.accessKey,
    S3_SECRET_KEY: o.s3.secretKey,
    S3_BUCKET_DOCUMENTS: o.s3.buckets.documents,
    S3_BUCKET_ARCHIVE: o.s3.buckets.archive,
    REDIS_URL: `redis://127.0.0.1:${p.redis}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(p.smtp),
    TWILIO_API_URL: `http://127.0.0.1:${p.smsSink}`,
    TWILIO_ACCOUNT_SID: DEV_DEFAULTS.twilio.accountSid,
    TWILIO_AUTH_TOKEN: DEV_DEFAULTS.twilio.authToken,
    // URL notification receivers in development run on this machine.
    NOTIFICATION_URL_ALLOW_LOOPBACK: 'true',
    // The demo merchant may send e-mail as any address at acme.example; any other sender is only Reply-To.
    EMAIL_SENDER_ALLOWLIST: JSON.stringify({ 'demo-merchant': ['@acme.example'] }),
    GATEWAY_PORT: String(p.gateway),
    GATEWAY_OPERATOR_PORT: String(p.gatewayOperator),
    // On the loopback operator port only; off by default elsewhere.
    DIAGNOSTICS_ENABLED: 'true',
    PORTAL_PORT: String(p.portal),
    PORTAL_OPERATOR_PORT: String(p.portalOperator),
    SIGNING_PORTAL_URL: `http://127.0.0.1:${p.portal}`,
    IDENTITY_PORTAL_REDIRECT_URIS: `http://127.0.0.1:${p.portal}/std/callback`,
    PUBLIC_URL: `http://127.0.0.1:${p.gateway}`,
    IDENTITY_PORT: String(p.identity),
    // The test eID: its signing-portal client and its people, which the image and the chart never carry.
    IDENTITY_CLIENTS_FILE: join(ROOT, 'services/identity/test-eid-clients.json'),
    IDENTITY_TEST_IDENTITIES_FILE: join(ROOT, 'services/identity/dev-identities.json'),
    // One origin for merchants: the gateway forwards /auth/open/* to the identity service.
    AUTH_PROXY_TARGET: `http://127.0.0.1:${p.identity}`,
    // The built-in `default` signing configuration, and `forwarding` (signers may forward their task: README).
    SIGNING_CONFIGURATIONS_FILE: join(ROOT, 'services/signing-portal/dev-configurations.json'),
    // The signers' identity methods: the test eID (through the gateway's /auth/open) and one-time codes.
    IDENTITY_PROVIDERS: testEidProviders(`http://127.0.0.1:${p.gateway}/auth/open`),
    [TEST_EID_SECRET_ENV]: TEST_EID_CLIENT.secret,
    ESIGN_DATA_DIR: o.dataDir,
    ORCHESTRATOR_HEALTH_PORT: String(p.orchestratorHealth),
    DOCUMENT_STORAGE_HEALTH_PORT: String(p.documentStorageHealth),
    SEALING_HEALTH_PORT: String(p.sealingHealth),
    NOTIFICATION_HEALTH_PORT: String(p.notificationHealth),
    ARCHIVE_HEALTH_PORT: String(p.archiveHealth),
    // The Temporal UI calls the codec server from its own origin.
    ...(p.temporalUi ? { CODEC_CORS_ORIGINS: `http://127.0.0.1:${p.temporalUi}` } : {}),
    ...(o.bundleDir ? { ORCHESTRATOR_WORKFLOW_BUNDLE: join(o.bundleDir, 'workflow-bundle.js') } : {}),
    ...pkiEnv,
    ...o.extraEnv,
  };
}
