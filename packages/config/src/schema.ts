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
  DIAGNOSTICS_ENABLED: bool(true),

  ORCHESTRATOR_HEALTH_PORT: port(P.orchestratorHealth),
  DOCUMENT_STORAGE_HEALTH_PORT: port(P.documentStorageHealth),
  NOTIFICATION_HEALTH_PORT: port(P.notificationHealth),
  ARCHIVE_HEALTH_PORT: port(P.archiveHealth),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default(`127.0.0.1:${P.temporal}`),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),

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
});

export type Env = z.infer<typeof envSchema>;
