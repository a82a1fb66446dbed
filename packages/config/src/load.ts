import { loadEmailSenders, type EmailSenderAllowlist } from './email-senders.js';
import { loadIdentityProviders, type IdentityProviders } from './identity-providers.js';
import { parseEnv } from './parse-env.js';
import { envSchema, type Env } from './schema.js';
import {
  codecServerConfig,
  payloadEncryptionConfig,
  type CodecServerConfig,
  type PayloadEncryptionConfig,
} from './payload-encryption.js';
import { signingConfig, type SigningConfig } from './signing.js';

export { ConfigError, parseEnv } from './parse-env.js';

export interface Config {
  logLevel: Env['LOG_LEVEL'];
  host: string;
  publicUrl: string;
  signingPortalUrl: string;
  apiBasePath: string;
  gateway: {
    port: number;
    /** Health, metrics and diagnostics: a port of their own, never exposed publicly. */
    operatorPort: number;
    diagnosticsEnabled: boolean;
    diagnosticsToken?: string;
    jsonBodyLimit: string;
  };
  auth: {
    issuer: string;
    jwksUri?: string;
    audience: string;
    scope: string;
    merchantClaim: string;
    clockSkewSeconds: number;
    algorithms: string[];
    proxyTarget?: string;
  };
  uploads: { maxBytes: number; ttlSeconds: number; idleTimeoutMs: number };
  /** Requests per merchant per window; 0 turns rate limiting off. */
  rateLimit: { requests: number; windowSeconds: number };
  /** `/healthz` fails for a minute after the event loop was held longer than this. */
  healthMaxBlockMs: number;
  healthPorts: {
    orchestrator: number;
    documentStorage: number;
    sealing: number;
    notification: number;
    archive: number;
  };
  orchestrator: { maxCachedWorkflows: number; workflowBundle?: string };
  temporal: {
    address: string;
    namespace: string;
    /** TLS towards Temporal (implied by a client certificate or an API key); files are read at connect time. */
    tls?: { caPath?: string; certPath?: string; keyPath?: string; serverName?: string };
    apiKey?: string;
  };
  s3: {
    endPoint: string;
    port: number;
    useSSL: boolean;
    region: string;
    accessKey: string;
    secretKey: string;
    buckets: { documents: string; archive: string };
  };
  redis: { url: string; keyPrefix: string };
  /** How long one call to each dependency may take (ms); S3's is an idle deadline (no byte for that long). */
  deadlines: {
    s3Ms: number;
    redisMs: number;
    temporalMs: number;
    /** Temporal calls that wait for a worker (Updates, queries, results). */
    temporalWaitMs: number;
    smtpMs: number;
    twilioMs: number;
    identityMs: number;
  };
  /** Each dependency's circuit breaker: opens after `failures` consecutive outages, probes after `halfOpenMs`. */
  breaker: { failures: number; halfOpenMs: number };
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string };
  twilio: { accountSid: string; authToken: string; from: string; apiUrl: string };
  notifications: {
    urlTimeoutMs: number;
    urlRetryIntervalMs: number;
    urlRetryWindowMs: number;
    allowLoopback: boolean;
    allowPrivate: boolean;
    signingSecret: string;
    /** The From addresses each merchant may use (email-senders.ts); empty: none, every mail is From SMTP_FROM. */
    emailSenders: EmailSenderAllowlist;
  };
  signCodeSecret: string;
  portal: {
    port: number;
    /** Health and metrics. */
    operatorPort: number;
    sessionIdleSeconds: number;
    /** How long a creation answer's `artifact` is valid (once). */
    artifactLifetimeSeconds: number;
    configurationsFile?: string;
    trustProxy: boolean | number | string[];
    limits: PortalLimits;
  };
  /** The signers' identity methods and their providers (identity-providers.ts). */
  identityProviders: IdentityProviders;
  signing: SigningConfig;
  /** Encryption of every Temporal payload (keys, order data keys and their destruction). */
  payloads: PayloadEncryptionConfig;
  codecServer: CodecServerConfig;
}

/** Signer protections of the portal: link opens per minute, one-time-code challenge and failure limits. */
export interface PortalLimits {
  linkOpensPerMinute: number;
  otp: {
    windowSeconds: number;
    challengesPerTask: number;
    challengesPerRecipient: number;
    challengesPerAddress: number;
    resendSeconds: number;
    failuresPerTask: number;
    failuresPerAddress: number;
    lockSeconds: number;
  };
}

function trustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',');
}

const ms = (seconds: number) => Math.round(seconds * 1000);

/** Reads and validates the environment once; fails fast with every problem named by its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(envSchema, env);
  const s3 = new URL(e.S3_ENDPOINT);
  const s3Secure = s3.protocol === 'https:';
  return {
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL.replace(/\/$/, ''),
    signingPortalUrl: e.SIGNING_PORTAL_URL.replace(/\/$/, ''),
    apiBasePath: e.API_BASE_PATH,
    gateway: {
      port: e.GATEWAY_PORT,
      operatorPort: e.GATEWAY_OPERATOR_PORT,
      diagnosticsEnabled: e.DIAGNOSTICS_ENABLED,
      ...(e.DIAGNOSTICS_TOKEN ? { diagnosticsToken: e.DIAGNOSTICS_TOKEN } : {}),
      jsonBodyLimit: e.JSON_BODY_LIMIT,
    },
    auth: {
      issuer: e.AUTH_ISSUER ?? `${e.PUBLIC_URL.replace(/\/$/, '')}/auth/open`,
      jwksUri: e.AUTH_JWKS_URI,
      audience: e.AUTH_AUDIENCE,
      scope: e.AUTH_SCOPE,
      merchantClaim: e.AUTH_MERCHANT_CLAIM,
      clockSkewSeconds: e.AUTH_CLOCK_SKEW_SECONDS,
      algorithms: e.AUTH_ALGORITHMS.split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      proxyTarget: e.AUTH_PROXY_TARGET,
    },
    uploads: {
      maxBytes: e.UPLOAD_MAX_BYTES,
      ttlSeconds: e.UPLOAD_TTL_SECONDS,
      idleTimeoutMs: e.UPLOAD_IDLE_TIMEOUT_SECONDS * 1000,
    },
    rateLimit: { requests: e.RATE_LIMIT_REQUESTS, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    healthMaxBlockMs: e.HEALTH_MAX_BLOCK_SECONDS * 1000,
    healthPorts: {
      orchestrator: e.ORCHESTRATOR_HEALTH_PORT,
      documentStorage: e.DOCUMENT_STORAGE_HEALTH_PORT,
      sealing: e.SEALING_HEALTH_PORT,
      notification: e.NOTIFICATION_HEALTH_PORT,
      archive: e.ARCHIVE_HEALTH_PORT,
    },
    orchestrator: {
      maxCachedWorkflows: e.ORCHESTRATOR_MAX_CACHED_WORKFLOWS,
      workflowBundle: e.ORCHESTRATOR_WORKFLOW_BUNDLE,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      ...(e.TEMPORAL_TLS || e.TEMPORAL_TLS_CLIENT_CERT_PATH || e.TEMPORAL_API_KEY
        ? {
            tls: {
              ...(e.TEMPORAL_TLS_SERVER_CA_CERT_PATH ? { caPath: e.TEMPORAL_TLS_SERVER_CA_CERT_PATH } : {}),
              ...(e.TEMPORAL_TLS_CLIENT_CERT_PATH ? { certPath: e.TEMPORAL_TLS_CLIENT_CERT_PATH } : {}),
              ...(e.TEMPORAL_TLS_CLIENT_KEY_PATH ? { keyPath: e.TEMPORAL_TLS_CLIENT_KEY_PATH } : {}),
              ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverName: e.TEMPORAL_TLS_SERVER_NAME } : {}),
            },
          }
        : {}),
      ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}),
    },
    s3: {
      endPoint: s3.hostname,
      port: s3.port ? Number(s3.port) : s3Secure ? 443 : 80,
      useSSL: s3Secure,
      region: e.S3_REGION,
      accessKey: e.S3_ACCESS_KEY,
      secretKey: e.S3_SECRET_KEY,
      buckets: { documents: e.S3_BUCKET_DOCUMENTS, archive: e.S3_BUCKET_ARCHIVE },
    },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    deadlines: {
      s3Ms: ms(e.S3_DEADLINE_SECONDS),
      redisMs: ms(e.REDIS_DEADLINE_SECONDS),
      temporalMs: ms(e.TEMPORAL_DEADLINE_SECONDS),
      temporalWaitMs: ms(e.TEMPORAL_WAIT_DEADLINE_SECONDS),
      smtpMs: ms(e.SMTP_DEADLINE_SECONDS),
      twilioMs: ms(e.TWILIO_DEADLINE_SECONDS),
      identityMs: ms(e.IDENTITY_DEADLINE_SECONDS),
    },
    breaker: { failures: e.DEPENDENCY_BREAKER_FAILURES, halfOpenMs: ms(e.DEPENDENCY_BREAKER_HALF_OPEN_SECONDS) },
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      password: e.SMTP_PASSWORD,
      from: e.SMTP_FROM,
    },
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      from: e.TWILIO_FROM,
      apiUrl: e.TWILIO_API_URL.replace(/\/$/, ''),
    },
    notifications: {
      urlTimeoutMs: Math.round(e.NOTIFICATION_URL_TIMEOUT_SECONDS * 1000),
      urlRetryIntervalMs: Math.round(e.NOTIFICATION_URL_RETRY_INTERVAL_SECONDS * 1000),
      urlRetryWindowMs: Math.round(e.NOTIFICATION_URL_RETRY_WINDOW_SECONDS * 1000),
      allowLoopback: e.NOTIFICATION_URL_ALLOW_LOOPBACK,
      allowPrivate: e.NOTIFICATION_URL_ALLOW_PRIVATE,
      signingSecret: e.NOTIFICATION_SIGNING_SECRET,
      emailSenders: loadEmailSenders(e.EMAIL_SENDER_ALLOWLIST, e.EMAIL_SENDER_ALLOWLIST_FILE),
    },
    signCodeSecret: e.SIGN_CODE_SECRET,
    portal: {
      port: e.PORTAL_PORT,
      operatorPort: e.PORTAL_OPERATOR_PORT,
      sessionIdleSeconds: e.PORTAL_SESSION_IDLE_SECONDS,
      artifactLifetimeSeconds: e.ARTIFACT_LIFETIME_SECONDS,
      configurationsFile: e.SIGNING_CONFIGURATIONS_FILE,
      trustProxy: trustProxy(e.PORTAL_TRUST_PROXY),
      limits: {
        linkOpensPerMinute: e.PORTAL_LINK_OPENS_PER_MINUTE,
        otp: {
          windowSeconds: e.OTP_LIMIT_WINDOW_SECONDS,
          challengesPerTask: e.OTP_CHALLENGES_PER_TASK,
          challengesPerRecipient: e.OTP_CHALLENGES_PER_RECIPIENT,
          challengesPerAddress: e.OTP_CHALLENGES_PER_ADDRESS,
          resendSeconds: e.OTP_RESEND_SECONDS,
          failuresPerTask: e.OTP_FAILURES_PER_TASK,
          failuresPerAddress: e.OTP_FAILURES_PER_ADDRESS,
          lockSeconds: e.OTP_LOCK_SECONDS,
        },
      },
    },
    identityProviders: loadIdentityProviders(e.IDENTITY_PROVIDERS, e.IDENTITY_PROVIDERS_FILE),
    signing: signingConfig(e),
    payloads: payloadEncryptionConfig(e),
    codecServer: codecServerConfig(e),
  };
}
