import type { ClientCredentials } from './token.js';

/**
 * fetch with the merchant's bearer token. On a 401 the token is dropped and, when the request can be sent again
 * (no body, or one held in memory), it is sent once more with a fresh token; a streamed body cannot be replayed.
 */
export function authorizedFetch(credentials: ClientCredentials, baseFetch: typeof fetch = fetch) {
  return async (request: Request, opts: { replayable?: boolean } = {}): Promise<Response> => {
    const replayable = opts.replayable ?? true;
    const spare = replayable ? request.clone() : undefined;
    const send = async (r: Request) => {
      r.headers.set('authorization', `Bearer ${await credentials.token()}`);
      return baseFetch(r);
    };
    const response = await send(request);
    if (response.status !== 401 || !spare) return response;
    credentials.invalidate();
    await response.body?.cancel();
    return send(spare);
  };
}

export type AuthorizedFetch = ReturnType<typeof authorizedFetch>;

/** Seconds to wait before retrying after `response`: its `Retry-After`, else `fallback`, never more than `cap`. */
export function retryDelaySeconds(response: Response | undefined, fallback: number, cap = 30): number {
  const header = Number(response?.headers.get('retry-after'));
  return Math.min(Number.isFinite(header) && header >= 0 ? header : fallback, cap);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
