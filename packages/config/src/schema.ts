import { z } from 'zod';
import { DEV_DEFAULTS } from './defaults.js';

const P = DEV_DEFAULTS.ports;
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
const url = (fallback: string) => z.url().default(fallback);
const deadline = (fallback: number) => z.coerce.number().min(0.1).max(300).default(fallback);

/** Every environment variable a service reads, with its default. Keys are the variable names. */
export const envSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: url(`http://127.0.0.1:${P.gateway}`),
  SIGNING_PORTAL_URL: url(`http://127.0.0.1:${P.portal}`),
  API_BASE_PATH: z
    .string()
    .regex(/^\/[a-z0-9/_-]*[a-z0-9_-]$/i, 'must start with / and not end with /')
    .default('/enterprise/sign'),
  GATEWAY_PORT: port(P.gateway),
  /** `/healthz`, `/readyz`, `/metrics` and (when enabled) the diagnostics: kept off the public API port. */
  GATEWAY_OPERATOR_PORT: port(P.gatewayOperator),
  /** `POST /diagnostics/roundtrip` on the gateway's operator port. */
  DIAGNOSTICS_ENABLED: bool(false),
  /** When set, the diagnostics also need `Authorization: Bearer <this>`. */
  DIAGNOSTICS_TOKEN: z.string().min(16).optional(),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size like 512kb or 1mb')
    .default('1mb'),

  // Merchant API authentication: any OIDC issuer; tokens are validated locally against its JWKS.
  AUTH_ISSUER: z.url().optional(),
  AUTH_JWKS_URI: z.url().optional(),
  AUTH_AUDIENCE: z.string().min(1).default('signicat-api'),
  AUTH_SCOPE: z.string().min(1).default('signicat-api'),
  AUTH_MERCHANT_CLAIM: z.string().min(1).default('merchant_id'),
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  AUTH_ALGORITHMS: z
    .string()
    .regex(/^((RS|PS|ES)(256|384|512)|EdDSA)(,((RS|PS|ES)(256|384|512)|EdDSA))*$/, 'asymmetric JWS algorithms only')
    .default('RS256,PS256,ES256,EdDSA'),
  /** Dev/single-origin setups: the gateway forwards /auth/open/* to this identity service. */
  AUTH_PROXY_TARGET: z.url().optional(),

  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
  UPLOAD_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(30 * 60),
  UPLOAD_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(30),

  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),

  /** `/healthz` answers 503 for a minute after the process's event loop was held longer than this (liveness). */
  HEALTH_MAX_BLOCK_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  ORCHESTRATOR_HEALTH_PORT: port(P.orchestratorHealth),
  /** Workflows kept in the orchestrator's sticky cache; beyond it, a workflow with new work is replayed. */
  ORCHESTRATOR_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(50),
  /** A prebuilt workflow bundle (the container image's); unset: the worker bundles the workflow sources at start. */
  ORCHESTRATOR_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  DOCUMENT_STORAGE_HEALTH_PORT: port(P.documentStorageHealth),
  SEALING_HEALTH_PORT: port(P.sealingHealth),
  NOTIFICATION_HEALTH_PORT: port(P.notificationHealth),
  ARCHIVE_HEALTH_PORT: port(P.archiveHealth),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default(`127.0.0.1:${P.temporal}`),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  // An external Temporal (e.g. a cluster with mTLS, or Temporal Cloud with an API key): the standard client variables.
  TEMPORAL_TLS: bool(false),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),

  S3_ENDPOINT: url(`http://127.0.0.1:${P.s3}`),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY: z.string().min(1).default(DEV_DEFAULTS.s3.accessKey),
  S3_SECRET_KEY: z.string().min(1).default(DEV_DEFAULTS.s3.secretKey),
  S3_BUCKET_DOCUMENTS: z.string().min(3).default('esign-documents'),
  S3_BUCKET_ARCHIVE: z.string().min(3).default('esign-archive'),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default(`redis://127.0.0.1:${P.redis}`),
  REDIS_KEY_PREFIX: z.string().default('esign:'),

  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: port(P.smtp),
  SMTP_SECURE: bool(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().min(3).default('E-Sign <no-reply@esign.localhost>'),

  // SMS through the Twilio Messages API. TWILIO_API_URL replaces https://api.twilio.com (the dev SMS sink by
  // default); set it to https://api.twilio.com in production.
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
    .default(DEV_DEFAULTS.twilio.accountSid),
  TWILIO_AUTH_TOKEN: z.string().min(1).default(DEV_DEFAULTS.twilio.authToken),
  TWILIO_FROM: z
    .string()
    .regex(
      /^(\+[1-9][0-9]{6,14}|(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,11})$/,
      'must be an E.164 number or 1-11 letters/digits',
    )
    .default('ESign'),
  TWILIO_API_URL: url(`http://127.0.0.1:${P.smsSink}`),

  // Bounded waits (docs/configuration.md): how long one call to each dependency may take before the caller gives up
  // (503 with Retry-After on a request path, a retried attempt in an activity), and the breaker that then refuses at
  // once instead of waiting again. S3's is an idle deadline: a streamed transfer fails after this long without a byte.
  S3_DEADLINE_SECONDS: deadline(3),
  REDIS_DEADLINE_SECONDS: deadline(2),
  TEMPORAL_DEADLINE_SECONDS: deadline(3),
  /** Temporal calls that wait for a worker: an Update's outcome, a query, a workflow's result. */
  TEMPORAL_WAIT_DEADLINE_SECONDS: deadline(4),
  SMTP_DEADLINE_SECONDS: deadline(10),
  TWILIO_DEADLINE_SECONDS: deadline(10),
  /** The identity provider's discovery, JWKS and token endpoints. */
  IDENTITY_DEADLINE_SECONDS: deadline(3),
  /** Consecutive missed deadlines (or refused connections) that open a dependency's breaker. */
  DEPENDENCY_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(1),
  /** How long an open breaker refuses at once before one call probes the dependency again; also the Retry-After. */
  DEPENDENCY_BREAKER_HALF_OPEN_SECONDS: z.coerce.number().min(0.1).max(300).default(2),

  // URL notifications (contract §5).
  NOTIFICATION_URL_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  NOTIFICATION_URL_RETRY_INTERVAL_SECONDS: z.coerce.number().min(0.1).default(600),
  NOTIFICATION_URL_RETRY_WINDOW_SECONDS: z.coerce
    .number()
    .min(1)
    .default(24 * 60 * 60),
  /** SSRF guard: loopback and private targets are refused unless allowed (the dev stack allows loopback). */
  NOTIFICATION_URL_ALLOW_LOOPBACK: bool(false),
  NOTIFICATION_URL_ALLOW_PRIVATE: bool(false),
  /**
   * E-mail From addresses each merchant may use, as JSON `{ "<merchantId>": ["noreply@example.com", "@example.com"] }`
   * inline or in a file (one of the two); any other `sender` becomes Reply-To of mail From SMTP_FROM.
   */
  EMAIL_SENDER_ALLOWLIST: z.string().min(2).optional(),
  EMAIL_SENDER_ALLOWLIST_FILE: z.string().min(1).optional(),
  /** Master secret of the per-merchant HMAC keys that sign URL notifications (X-Sign-Signature). */
  NOTIFICATION_SIGNING_SECRET: z.string().min(16).default(DEV_DEFAULTS.notificationSigningSecret),
  // The signing portal (contract §6-7): where it listens, its sessions.
  PORTAL_PORT: port(P.portal),
  PORTAL_OPERATOR_PORT: port(P.portalOperator),
  PORTAL_SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(30 * 60),
  /** How long an `artifact` of a creation answer lets its signer skip the task's log-in (Signicat documented 30 s). */
  ARTIFACT_LIFETIME_SECONDS: z.coerce.number().int().min(5).max(3_600).default(30),
  /**
   * Express `trust proxy` for the portal: `false` (default: the client address is the socket's), `true`, a number of
   * proxy hops, or a comma-separated list of trusted proxy addresses/CIDRs. The per-address limits below and the
   * signing evidence's IP need the signer's real address: behind an ingress, set this to the ingress's hops or range.
   */
  PORTAL_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, 'must be true, false, a hop count or addresses')
    .default('false'),
  // Signer protections (docs/reliability.md, security): opens of one signing link, and one-time-code challenges and
  // wrong codes, counted in fixed windows in Redis (so they hold across portal replicas).
  PORTAL_LINK_OPENS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  OTP_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(60).default(3600),
  OTP_CHALLENGES_PER_TASK: z.coerce.number().int().min(1).default(5),
  OTP_CHALLENGES_PER_RECIPIENT: z.coerce.number().int().min(1).default(10),
  OTP_CHALLENGES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  OTP_RESEND_SECONDS: z.coerce.number().int().min(0).default(30),
  OTP_FAILURES_PER_TASK: z.coerce.number().int().min(1).default(10),
  OTP_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  OTP_LOCK_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /**
   * The identity methods signers may use (contract §7), each mapped to its provider (OpenID Connect or a one-time
   * code): JSON inline or in a file, one of the two (identity-providers.ts; docs/configuration.md). Unset: none, and
   * orders naming a method are refused. The dev stack configures its test eID here like any other provider.
   */
  IDENTITY_PROVIDERS: z.string().min(2).optional(),
  IDENTITY_PROVIDERS_FILE: z.string().min(1).optional(),
  /** JSON file of signing-interface configurations (branding); unset: only `default`. */
  SIGNING_CONFIGURATIONS_FILE: z.string().min(1).optional(),
  /** Where the dev stack keeps its data: the dev signing CA and certificate live in `<dir>/signing/`. */
  ESIGN_DATA_DIR: z.string().min(1).default('.data'),
  // The platform's signing key (contract §7). Unset: a dev CA and certificate are created on first start and kept.
  SIGNING_P12_FILE: z.string().min(1).optional(),
  SIGNING_P12_PASSWORD: z.string().optional(),
  SIGNING_CA_FILE: z.string().min(1).optional(),
  /** RFC 3161 time-stamping authority: needed from PAdES B-T on (see SIGNING_LEVEL). */
  SIGNING_TSA_URL: z.url().optional(),
  /** PAdES baseline level of seals and packages; default B-LTA with a TSA, else B-B. */
  SIGNING_LEVEL: z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA']).optional(),
  // The seal key in a PKCS#11 token (HSM, cloud KMS library, SoftHSM2) instead of a PKCS#12 file: all four or none.
  SIGNING_PKCS11_MODULE: z.string().min(1).optional(),
  SIGNING_PKCS11_TOKEN_LABEL: z.string().min(1).optional(),
  SIGNING_PKCS11_KEY_LABEL: z.string().min(1).optional(),
  SIGNING_PKCS11_PIN: z.string().min(1).optional(),
  /** Archived documents get a new document timestamp this many days before their newest one's certificate expires. */
  ARCHIVE_RENEWAL_MARGIN_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Key that derives sign codes; changing it does not break codes already issued (they are stored). */
  SIGN_CODE_SECRET: z.string().min(16).default(DEV_DEFAULTS.signCodeSecret),

  // Payload encryption (payload-encryption.ts): every Temporal payload is encrypted; these keys decrypt.
  /** `<id>=<base64 of 32 random bytes>`, comma-separated, oldest first: every one decrypts. */
  PAYLOAD_KEYS: z.string().min(1).default(DEV_DEFAULTS.payloadKeys),
  /** The key that encrypts (pin the old one while a new one rolls out to every process); default the last listed. */
  PAYLOAD_KEY_CURRENT: z.string().min(1).optional(),
  /** Seconds a process keeps an order's data key in memory. */
  PAYLOAD_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  /**
   * Seconds a worker's key lookup waits out a Redis outage: an error encoding a completion fails the whole Temporal
   * worker, so it waits for Redis instead (clients answer 503 at once).
   */
  PAYLOAD_KEY_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  /** Seconds after an order's deletion its data key is destroyed (its workflows finish and may replay until then). */
  PAYLOAD_ORDER_KEY_DELETE_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** Days the mark of a destroyed order key is kept, so no new key is made for it (longer than any history lives). */
  PAYLOAD_ORDER_KEY_TOMBSTONE_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** Origins of the Temporal UI allowed to call the codec server (`/codec/decode` on the gateway's operator port). */
  CODEC_CORS_ORIGINS: z
    .string()
    .regex(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/, 'must be comma-separated origins (scheme://host[:port])')
    .default(`http://127.0.0.1:${P.temporalUi}`),
  /** Operators' tokens (the codec server): their audience and the scope they must carry. */
  OPERATOR_AUDIENCE: z.string().min(1).default('esign-operator'),
  OPERATOR_SCOPE: z.string().min(1).default('esign-operator'),
});

export type Env = z.infer<typeof envSchema>;
