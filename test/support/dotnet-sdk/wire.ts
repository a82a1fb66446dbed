// What Signicat's .NET SDK (`Signicat.SDK` 1.15.0, signicat/signicat-net) puts on the wire, transcribed from its
// Infrastructure (HttpRequestor, AuthManager, Mapper, MimeMapping, JwtHelper) so the platform can be tested against
// it without a .NET runtime: the URLs it derives from its two settings, its headers, its token request, its JSON
// serializer (System.Text.Json with camelCase names and the default encoder) and how it reads answers and errors.

const SDK_VERSION = '1.15.0';

export interface SdkSettings {
  /** `SignicatConfiguration.BaseUrl`: the SDK appends `/enterprise/sign`. */
  baseUrl: string;
  /** `SignicatConfiguration.OAuthBaseUrl`: the SDK appends `/connect/token`. */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** `Signicat-OrganizationId`, when the merchant's code sets one. */
  organisationId?: string;
}

/** One exchange as the SDK sees it: the status, and the body as text (the SDK reads every answer as a string). */
export interface SdkResponse {
  status: number;
  text: string;
  headers: Headers;
  bytes: Buffer;
}

/** The exception the SDK throws for a non-2xx answer (SignicatException and its 401/403 kinds). */
export class SignicatException extends Error {
  constructor(
    readonly httpStatusCode: number,
    readonly error: SignicatError,
  ) {
    super(error.title ?? `HTTP ${httpStatusCode}`);
  }
}

export interface SignicatError {
  title?: string | null;
  type?: string | null;
  detail?: string | null;
  traceId?: string | null;
  /** `invalidParams` followed by each of `violations` as (PropertyName, Reason), as Mapper.Map builds them. */
  validationErrors: Array<{ propertyName: string | null; reason: string | null }>;
}

// System.Text.Json's default encoder (JavaScriptEncoder.Default): everything outside printable ASCII and the
// HTML-sensitive characters are written as \uXXXX (upper-case hex); \b \f \n \r \t and \\ keep their short forms.
const SHORT: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };
const jsonString = (s: string) =>
  `"${s.replace(/[^ !#-%(-*,-;=?-[\]-_a-~]/g, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)}"`;

/** `Mapper.MapToJson`: the object serialised as the SDK serialises its option classes (property order kept). */
export function sdkJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sdkJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${jsonString(k)}:${sdkJson(v)}`).join(',')}}`;
}

/** `MimeMapping.GetMimeMapping(fileName)` for the names merchants upload; no or an unknown extension: octet-stream. */
export function mimeMapping(fileName: string): string {
  const ext = /\.[^.\\/]+$/.exec(fileName)?.[0].toLowerCase();
  return ext === '.pdf' ? 'application/pdf' : ext === '.txt' ? 'text/plain' : 'application/octet-stream';
}

/** `JwtHelper.ParseOutAccountIdFromJwt`: the token's `account_id` claim, which the SDK adds as a query parameter. */
function accountIdOf(jwt: string): string | undefined {
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('ascii')) as Record<
    string,
    unknown
  >;
  const id = claims.account_id;
  return id === undefined || id === null || String(id).trim() === '' ? undefined : String(id);
}

/** The SDK's requests against one platform, with its token cache (`SignicatBaseService.GetToken`). */
export class SdkWire {
  private token?: { accessToken: string; expiry: number };
  /** Every request the SDK made, for tests that check its headers. */
  readonly sent: Array<{ method: string; url: string; headers: Record<string, string> }> = [];

  constructor(readonly settings: SdkSettings) {}

  get enterpriseSign(): string {
    return `${this.settings.baseUrl}/enterprise/sign`;
  }

  get tokenUrl(): string {
    return `${this.settings.oauthBaseUrl}/connect/token`;
  }

  private baseHeaders(): Record<string, string> {
    return {
      'Signicat-SDK': `dotnet ${SDK_VERSION}`,
      'User-Agent': `Signicat-SDK dotnet ${SDK_VERSION}`,
      ...(this.settings.organisationId ? { 'Signicat-OrganizationId': this.settings.organisationId } : {}),
    };
  }

  /** `AuthManager.Authorize`: credentials in the form body (never HTTP Basic), scope `signicat-api`. */
  async authorize(): Promise<{ access_token: string; expires_in: number; token_type: string }> {
    const form = [
      ['grant_type', 'client_credentials'],
      ['scope', 'signicat-api'],
      ['client_id', this.settings.clientId.trim()],
      ['client_secret', this.settings.clientSecret.trim()],
    ]
      // WebUtility.UrlEncode: spaces as '+', the rest percent-encoded
      .map(([k, v]) => `${k}=${encodeURIComponent(v!).replace(/%20/g, '+')}`)
      .join('&');
    const res = await this.exchange('POST', this.tokenUrl, {
      body: form,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    const token = mapFromJson(res.text) as { access_token: string; expires_in: number; token_type: string };
    if (!Number.isInteger(token.expires_in)) throw new Error('expires_in must be an integer (OAuthToken.ExpiresIn)');
    return token;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiry > Date.now()) return this.token.accessToken;
    const token = await this.authorize();
    this.token = { accessToken: token.access_token, expiry: Date.now() + token.expires_in * 1000 };
    return token.access_token;
  }

  /** `HttpRequestor.GetRequestMessage` + `ExecuteRequestAsync`: throws SignicatException for a non-2xx answer. */
  async request(
    method: string,
    url: string,
    body?: { body: string | Buffer; contentType: string },
  ): Promise<SdkResponse> {
    const token = await this.accessToken();
    const target = new URL(url);
    const accountId = accountIdOf(token);
    if (accountId) target.searchParams.set('signicat-accountId', accountId);
    if (this.settings.organisationId) target.searchParams.set('signicat-organizationId', this.settings.organisationId);
    return this.exchange(method, target.toString(), body, token);
  }

  private async exchange(
    method: string,
    url: string,
    body?: { body: string | Buffer; contentType: string },
    token?: string,
  ): Promise<SdkResponse> {
    const headers: Record<string, string> = {
      ...this.baseHeaders(),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': body.contentType } : {}),
    };
    this.sent.push({ method, url, headers });
    const res = await fetch(url, { method, headers, ...(body ? { body: body.body } : {}) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const answer = { status: res.status, text: bytes.toString('utf8'), headers: res.headers, bytes };
    if (res.status < 200 || res.status > 299) throw new SignicatException(res.status, mapError(answer.text));
    return answer;
  }

  /** `Post<T>(url, options)`: the options serialised by Mapper, sent as application/json; charset=utf-8. */
  postJson(url: string, options: unknown): Promise<SdkResponse> {
    return this.request('POST', url, { body: sdkJson(options), contentType: 'application/json; charset=utf-8' });
  }

  /** `PostFile<T>`: the raw bytes with the Content-Type MimeMapping derives from the file name. */
  postFile(url: string, fileName: string, data: Buffer): Promise<SdkResponse> {
    return this.request('POST', url, { body: data, contentType: mimeMapping(fileName) });
  }
}

/** `Mapper.MapFromJson`: anything that does not look like a JSON object or array reads as null (default(T)). */
export function mapFromJson(text: string): unknown {
  const t = text.trim();
  if (!t || !(t.startsWith('{') || t.startsWith('[')) || !(t.endsWith('}') || t.endsWith(']'))) return null;
  return JSON.parse(t);
}

/** `BuildException` + `Mapper.Map`: the error as the SDK's callers see it. */
function mapError(text: string): SignicatError {
  const raw = (mapFromJson(text) ?? {}) as Record<string, unknown>;
  const field = (name: string) => {
    const key = Object.keys(raw).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : raw[key];
  };
  const invalidParams = field('invalidParams');
  // `invalidParams` defaults to an empty list; a JSON null there would make the SDK's Concat throw.
  if (invalidParams === null) throw new Error('invalidParams: null breaks SignicatError mapping');
  const violations = (field('violations') ?? []) as Array<Record<string, unknown>>;
  return {
    title: (field('title') ?? field('message')) as string | null,
    type: field('type') as string | null,
    detail: field('detail') as string | null,
    traceId: field('traceId') as string | null,
    validationErrors: [
      ...((invalidParams ?? []) as Array<{ propertyName: string; reason: string }>),
      ...violations.map((v) => ({
        propertyName: (v.propertyPath ?? null) as string | null,
        reason: (v.message ?? null) as string | null,
      })),
    ],
  };
}
