import { TokenError } from './errors.js';

export interface ClientCredentialsOptions {
  /** The token endpoint, e.g. `https://sign.example.test/auth/open/connect/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Default `signicat-api`. */
  scope?: string;
  fetch?: typeof fetch;
  /** A token is renewed this many seconds before it expires (default 60), so none expires in flight. */
  refreshSkewSeconds?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/**
 * OAuth 2.0 client credentials with a cached token: one token request per token lifetime, renewed shortly before it
 * expires; concurrent callers share one request in flight.
 */
export class ClientCredentials {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A valid access token, from the cache when it has one. */
  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the cached token (the API answered 401: revoked keys, a restarted issuer); the next call fetches one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async request(): Promise<string> {
    const { clientId, clientSecret } = this.options;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const response = await (this.options.fetch ?? fetch)(this.options.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: this.options.scope ?? 'signicat-api' }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status !== 200 || typeof body.access_token !== 'string') {
      const error = typeof body.error === 'string' ? body.error : 'invalid_response';
      const description = typeof body.error_description === 'string' ? body.error_description : undefined;
      throw new TokenError(response.status, error, description);
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 300;
    const skew = Math.min(this.options.refreshSkewSeconds ?? 60, lifetime / 2);
    this.cached = { token: body.access_token, renewAt: this.now() + (lifetime - skew) * 1000 };
    return body.access_token;
  }
}
