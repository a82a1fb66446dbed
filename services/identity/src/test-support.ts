// Helpers for this package's tests: an in-process identity server on a free port with its own temp data dir, and a
// cookie jar to drive the test eID's browser flow with fetch.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@esign/observability';
import { loadIdentityConfig, TEST_EID_CLIENTS_FILE } from './config.js';
import { DEV_IDENTITIES_FILE } from './identities.js';
import { startIdentityServer, type IdentityServer } from './server.js';

export const tempDir = () => mkdtempSync(join(tmpdir(), 'esign-identity-'));

export interface TestIdentity extends IdentityServer {
  dataDir: string;
  discoveryUrl: string;
  tokenUrl: string;
}

/** The test eID as the dev stack configures it: its clients file (demo merchants + portal client) and people. */
export const TEST_EID_ENV = {
  IDENTITY_CLIENTS_FILE: TEST_EID_CLIENTS_FILE,
  IDENTITY_TEST_IDENTITIES_FILE: DEV_IDENTITIES_FILE,
};

/**
 * Starts the server on port 0, with the test eID as the dev stack has it unless `env` says otherwise; without
 * PUBLIC_URL in env, the issuer is the server's own URL.
 */
export async function startTestIdentity(env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestIdentity> {
  const config = loadIdentityConfig({ IDENTITY_PORT: '0', ESIGN_DATA_DIR: dataDir, ...TEST_EID_ENV, ...env });
  const logger = createLogger({ service: 'identity', level: 'silent' });
  const server = await startIdentityServer({ config, logger, advertiseListenUrl: env.PUBLIC_URL === undefined });
  return {
    ...server,
    dataDir,
    discoveryUrl: `${server.url}/auth/open/.well-known/openid-configuration`,
    tokenUrl: `${server.url}/auth/open/connect/token`,
  };
}

export function writeClientsFile(dir: string, content: unknown): string {
  const file = join(dir, 'clients.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

export interface TokenRequest {
  clientId: string;
  secret: string;
  /** Form fields sent besides the credentials; default grant_type=client_credentials, scope=signicat-api. */
  form?: Record<string, string | undefined>;
  /** `basic` sends the credentials in an Authorization header, `post` as client_id/client_secret form fields. */
  via?: 'basic' | 'post';
}

/** A token endpoint answer: a token, or an OAuth error. */
export interface TokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export async function requestToken(
  tokenUrl: string,
  req: TokenRequest,
): Promise<{ status: number; body: TokenResponse }> {
  const fields = { grant_type: 'client_credentials', scope: 'signicat-api', ...req.form };
  const form = new URLSearchParams(Object.entries(fields).filter((f): f is [string, string] => f[1] !== undefined));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (req.via === 'post') {
    form.set('client_id', req.clientId);
    form.set('client_secret', req.secret);
  } else {
    const basic = `${encodeURIComponent(req.clientId)}:${encodeURIComponent(req.secret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const res = await fetch(tokenUrl, { method: 'POST', headers, body: form });
  return { status: res.status, body: (await res.json()) as TokenResponse };
}

/** A minimal cookie jar for driving browser flows with fetch: honours Path and expiry, ignores Domain. */
export class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string) =>
        attrs.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1) ?? undefined;
      const path = attr('path') ?? '/';
      const expires = attr('expires');
      const maxAge = attr('max-age');
      const expired = (expires !== undefined && Date.parse(expires) <= Date.now()) || maxAge === '0';
      if (expired) this.#cookies.delete(`${name};${path}`);
      else this.#cookies.set(`${name};${path}`, { name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  names(): string[] {
    return [...this.#cookies.values()].map((c) => c.name);
  }
}

/** fetch without following redirects, sending and storing the jar's cookies. */
export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(res);
  return res;
}

/** The absolute URL a redirect response points to. */
export const locationOf = (res: Response, base: string) => new URL(res.headers.get('location') ?? '', base).href;

export const PORTAL = {
  clientId: 'esign-portal',
  secret: 'portal-dev-secret',
  redirectUri: 'http://127.0.0.1:8081/std/callback',
};

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorization request of the signing portal, with PKCE, state and nonce; `params` adds or (undefined) drops. */
export function authorizationUrl(
  issuer: string,
  opts: { pkce: Pkce; state: string; nonce: string; params?: Record<string, string | undefined> },
): string {
  const url = new URL(`${issuer}/connect/authorize`);
  const fields: Record<string, string | undefined> = {
    client_id: PORTAL.clientId,
    redirect_uri: PORTAL.redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state: opts.state,
    nonce: opts.nonce,
    code_challenge: opts.pkce.challenge,
    code_challenge_method: 'S256',
    acr_values: 'nbid-sign',
    ...opts.params,
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** The hidden CSRF field of the login page. */
export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
