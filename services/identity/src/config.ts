import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_DEFAULTS, parseEnv } from '@esign/config';
import { z } from 'zod';
import type { ThrottleSettings } from './auth-throttle.js';
import { redirectUriSchema } from './clients.js';

/** The dev clients file shipped with the package: the two demo merchants of the README. */
export const DEV_CLIENTS_FILE = fileURLToPath(new URL('../dev-clients.json', import.meta.url));
/**
 * The dev stack's and the tests' clients file: the demo merchants and the test eID's signing-portal client. Never
 * shipped in the image (scripts/build-services.mjs), so a production install has no test eID.
 */
export const TEST_EID_CLIENTS_FILE = fileURLToPath(new URL('../test-eid-clients.json', import.meta.url));

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  IDENTITY_PORT: port(8090),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((v) => new URL(v).pathname === '/' && !new URL(v).search, 'must be an origin, without path or query')
    .default('http://127.0.0.1:8080'),
  AUTH_AUDIENCE: z.string().min(1).default('signicat-api'),
  /** Audience of operators' tokens (scope esign-operator), as the codec server expects it. */
  OPERATOR_AUDIENCE: z.string().min(1).default('esign-operator'),
  IDENTITY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  IDENTITY_CLIENTS_FILE: z.string().min(1).default(DEV_CLIENTS_FILE),
  ESIGN_DATA_DIR: z.string().min(1).default('.data'),
  IDENTITY_KEYS_FILE: z.string().min(1).optional(),
  // Empty means unset: no test people.
  IDENTITY_TEST_IDENTITIES_FILE: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  SIGNING_PORTAL_URL: z.url({ protocol: /^https?$/ }).default(`http://127.0.0.1:${DEV_DEFAULTS.ports.portal}`),
  // Failed client authentications at the token endpoint (issue 29): how many within the window lock an address or
  // a client id (0: no limit), and how many proxies in front append a trustworthy X-Forwarded-For entry.
  IDENTITY_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(0).max(10_000).default(10),
  IDENTITY_AUTH_FAILURES_PER_CLIENT: z.coerce.number().int().min(0).max(10_000).default(20),
  IDENTITY_AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  IDENTITY_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
  // Comma-separated; empty means unset.
  IDENTITY_PORTAL_REDIRECT_URIS: z
    .string()
    .optional()
    .transform((v) => {
      const uris = (v ?? '').split(',').map((u) => u.trim());
      return uris.some(Boolean) ? uris : undefined;
    })
    .pipe(z.array(redirectUriSchema).optional()),
});

export interface IdentityConfig {
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  host: string;
  port: number;
  /** Public origin of the API (no trailing slash); the issuer is `${publicUrl}/auth/open`. */
  publicUrl: string;
  audience: string;
  /** Audience of operators' tokens (the operators' codec server). */
  operatorAudience: string;
  tokenTtlSeconds: number;
  clientsFile: string;
  keysFile: string;
  /** The test eID's people; unset: none (the test eID needs them, and exists only in the dev stack and tests). */
  identitiesFile?: string;
  /**
   * The redirect URIs of signing-portal clients that name none in the clients file: `IDENTITY_PORTAL_REDIRECT_URIS`,
   * else `${SIGNING_PORTAL_URL}/std/callback`. An `IDENTITY_PORTAL_REDIRECT_URIS` overrides the file's too.
   */
  portalRedirectUris: string[];
  /** True when `IDENTITY_PORTAL_REDIRECT_URIS` is set, so it overrides the clients file's redirect URIs. */
  portalRedirectUrisFromEnv: boolean;
  /** The token endpoint's throttle of failed client authentications (auth-throttle.ts). */
  authThrottle: ThrottleSettings;
  /** Proxies in front that each append the address they saw to X-Forwarded-For (client-address.ts). */
  trustedProxyHops: number;
}

/** Reads and validates the environment once; relative paths resolve against the working directory. */
export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const e = parseEnv(envSchema, env, 'identity configuration');
  return {
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.IDENTITY_PORT,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    audience: e.AUTH_AUDIENCE,
    operatorAudience: e.OPERATOR_AUDIENCE,
    tokenTtlSeconds: e.IDENTITY_TOKEN_TTL_SECONDS,
    clientsFile: resolve(e.IDENTITY_CLIENTS_FILE),
    keysFile: resolve(e.IDENTITY_KEYS_FILE ?? resolve(e.ESIGN_DATA_DIR, 'identity', 'jwks.json')),
    ...(e.IDENTITY_TEST_IDENTITIES_FILE ? { identitiesFile: resolve(e.IDENTITY_TEST_IDENTITIES_FILE) } : {}),
    portalRedirectUris: e.IDENTITY_PORTAL_REDIRECT_URIS ?? [`${e.SIGNING_PORTAL_URL.replace(/\/+$/, '')}/std/callback`],
    portalRedirectUrisFromEnv: e.IDENTITY_PORTAL_REDIRECT_URIS !== undefined,
    authThrottle: {
      perAddress: e.IDENTITY_AUTH_FAILURES_PER_ADDRESS,
      perClient: e.IDENTITY_AUTH_FAILURES_PER_CLIENT,
      windowSeconds: e.IDENTITY_AUTH_FAILURE_WINDOW_SECONDS,
    },
    trustedProxyHops: e.IDENTITY_TRUSTED_PROXY_HOPS,
  };
}
