// Helpers for this package's tests: an in-process identity server on a free port with its own temp data dir.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@esign/observability';
import { loadIdentityConfig } from './config.js';
import { startIdentityServer, type IdentityServer } from './server.js';

export const tempDir = () => mkdtempSync(join(tmpdir(), 'esign-identity-'));

export interface TestIdentity extends IdentityServer {
  dataDir: string;
  discoveryUrl: string;
  tokenUrl: string;
}

/** Starts the server on port 0; without PUBLIC_URL in env, the issuer is the server's own URL. */
export async function startTestIdentity(env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestIdentity> {
  const config = loadIdentityConfig({ IDENTITY_PORT: '0', ESIGN_DATA_DIR: dataDir, ...env });
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
