// The merchant's side of the chaos run: an API client that behaves like a careful integration does while servers
// come and go — it retries connection errors, 5xx answers and 429 (as told by Retry-After) with back-off, fetches a
// new token when the old one is refused, and counts every retry so the report can say what the faults cost clients.

/** An answer of the API, body read. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface RetryCounts {
  /** Requests that failed to connect or were cut off (the gateway was down or died mid-request). */
  connection: number;
  /** Answers that said "try again", by status. */
  byStatus: Record<number, number>;
}

/** What a call is, for counting retries: the operation, without ids. */
function callName(method: string, path: string): string {
  if (method === 'POST' && path === '/documents') return 'upload';
  if (method === 'POST' && path === '/orders') return 'order creation';
  if (method === 'DELETE') return 'order deletion';
  return 'read';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Statuses a client retries: "not now" (429, 503) and a proxy's "not reached" (502, 504). A 500 is the server's own
 * failure and is not retried: under faults the system must say 503.
 */
const RETRIED = new Set([429, 502, 503, 504]);

export class MerchantApi {
  readonly retries: RetryCounts = { connection: 0, byStatus: {} };
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly origin: string,
    private readonly credentials: { clientId: string; secret: string },
    /** Told about every retry: which call, and why (`connection` or the status). */
    private readonly onRetry: (call: string, why: string) => void = () => undefined,
    /** How long one call keeps retrying before it gives up (the faults must be over by then). */
    private readonly patienceMs = 180_000,
  ) {}

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const { clientId, secret } = this.credentials;
    const res = await this.retrying('token', () =>
      fetch(`${this.origin}/auth/open/connect/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'signicat-api' }),
        signal: AbortSignal.timeout(30_000),
      }),
    );
    if (res.status !== 200) throw new Error(`token request answered ${res.status}: ${res.body.toString()}`);
    const body = JSON.parse(res.body.toString()) as { access_token: string; expires_in: number };
    this.token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return this.token.value;
  }

  /**
   * A call to `/enterprise/sign${path}`, repeated until it gets an answer that is not a retryable one. The same
   * request is sent every time (with the same headers, e.g. an Idempotency-Key), as a client retrying must.
   */
  async call(
    method: string,
    path: string,
    init: { body?: Buffer | string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    for (let refreshed = false; ; refreshed = true) {
      const token = await this.accessToken();
      const answer = await this.retrying(callName(method, path), () =>
        fetch(`${this.origin}/enterprise/sign${path}`, {
          method,
          headers: { ...init.headers, authorization: `Bearer ${token}` },
          body: init.body,
          signal: AbortSignal.timeout(60_000),
        }),
      );
      if (answer.status !== 401 || refreshed) return answer;
      this.token = undefined;
    }
  }

  /** Runs `request` until its answer is not a retryable status, backing off from 200 ms to 2 s. */
  private async retrying(what: string, request: () => Promise<Response>): Promise<Answer> {
    const deadline = Date.now() + this.patienceMs;
    for (let attempt = 0; ; attempt++) {
      let answer: Answer | undefined;
      let failure = '';
      try {
        const res = await request();
        answer = { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
      } catch (err) {
        failure = err instanceof Error ? `${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : String(err);
      }
      if (answer && !RETRIED.has(answer.status)) return answer;
      if (Date.now() > deadline) {
        throw new Error(`${what}: still failing after ${this.patienceMs / 1000} s: ${failure || answer?.status}`);
      }
      if (answer) this.retries.byStatus[answer.status] = (this.retries.byStatus[answer.status] ?? 0) + 1;
      else this.retries.connection++;
      this.onRetry(what, answer ? `HTTP ${answer.status}` : 'connection');
      const told = answer?.status === 429 ? Number(answer.headers.get('retry-after') ?? 1) * 1000 : 0;
      await sleep(Math.max(told, Math.min(2000, 200 * 2 ** Math.min(attempt, 4))));
    }
  }
}
