import type { components } from './generated/api.js';

export type Problem = components['schemas']['Problem'];
export type Violation = components['schemas']['Violation'];

/**
 * An error answer of the Sign API (`application/problem+json`), typed: `status`, `title`, `detail`, every
 * `violations` entry of a 400, and the `traceId` to quote when asking the operator.
 */
export class SignApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly violations: Violation[];
  readonly traceId?: string;
  /** Seconds from `Retry-After` (429, 503), when the server said. */
  readonly retryAfterSeconds?: number;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    const where = problem.violations?.length
      ? `: ${problem.violations.map((v) => `${v.propertyPath} ${v.message}`).join('; ')}`
      : problem.detail
        ? `: ${problem.detail}`
        : '';
    super(`${problem.status} ${problem.title}${where}${problem.traceId ? ` (trace ${problem.traceId})` : ''}`);
    this.name = 'SignApiError';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.violations = problem.violations ?? [];
    this.traceId = problem.traceId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The token endpoint refused the client's credentials (OAuth 2.0 error answer). */
export class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorDescription?: string,
  ) {
    super(`token request refused (${status} ${error}${errorDescription ? `: ${errorDescription}` : ''})`);
    this.name = 'TokenError';
  }
}

/** A wait for a status ran out of time; `last` is the last status read. */
export class WaitTimeoutError<T> extends Error {
  constructor(
    message: string,
    readonly last: T | undefined,
  ) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The typed error for a non-2xx answer. A body that is not a problem (a proxy's HTML page, say) still becomes one,
 * with the status and the response's status text, so callers handle a single error type.
 */
export async function errorFrom(response: Response, body?: unknown): Promise<SignApiError> {
  let problem = body;
  if (problem === undefined) {
    const text = await response.text().catch(() => '');
    try {
      problem = JSON.parse(text);
    } catch {
      problem = undefined;
    }
  }
  const p = problem as Partial<Problem> | undefined;
  const valid = p && typeof p === 'object' && typeof p.title === 'string';
  return new SignApiError(
    valid
      ? { type: 'about:blank', ...p, status: response.status, title: p.title! }
      : { type: 'about:blank', status: response.status, title: response.statusText || 'Error' },
    retryAfter(response),
  );
}
