import { gatewayUrl } from './clients.js';
import { requestToken } from './token.js';

/** The two demo merchants the dev identity service ships (README). */
export const MERCHANTS = {
  demo: { clientId: 'demo-merchant', secret: 'demo-secret', merchantId: 'demo-merchant' },
  other: { clientId: 'other-merchant', secret: 'other-secret', merchantId: 'other-merchant' },
} as const;

export type MerchantName = keyof typeof MERCHANTS;

const cache = new Map<MerchantName, { token: string; expiresAt: number }>();

/** A real access token from the identity service, fetched through the gateway's single origin like a merchant. */
export async function accessToken(name: MerchantName): Promise<string> {
  const cached = cache.get(name);
  if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
  const { clientId, secret } = MERCHANTS[name];
  const body = await requestToken(gatewayUrl(), clientId, secret);
  cache.set(name, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
  return body.access_token;
}

/** fetch against the API base path as a merchant (on the stack's gateway, or on `origin`). */
export async function api(name: MerchantName, path: string, init: RequestInit = {}, origin = gatewayUrl()) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await accessToken(name)}`);
  return fetch(`${origin}/enterprise/sign${path}`, { ...init, headers });
}
