import { STATUS_CODES } from 'node:http';
import type { Config } from '@esign/config';
import type { Logger } from '@esign/observability';
import { dependencyOutage } from '@esign/service-runtime';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { traceIdOf } from './middleware/trace-id.js';

export interface Violation {
  propertyPath: string;
  message: string;
}

/** An error a route throws to answer with problem+json at the given status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly violations?: Violation[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, violations?: Violation[]) =>
  new HttpProblem(400, 'Bad Request', detail, violations);
export const notFound = (detail = 'No resource at this path.') => new HttpProblem(404, 'Not Found', detail);
export const unavailable = (detail: string, retryAfterSeconds = 5) =>
  new HttpProblem(503, 'Service Unavailable', detail, undefined, { 'Retry-After': String(retryAfterSeconds) });

/** Seconds a client is told to wait after an outage: the breakers' half-open time. */
export const retryAfterOf = (config: Config) => Math.max(1, Math.ceil(config.breaker.halfOpenMs / 1000));

/** Redis, S3 or Temporal down or hanging: 503 naming it (never its address), with Retry-After. */
function outageProblem(err: unknown, retryAfterSeconds: number): HttpProblem | undefined {
  const outage = dependencyOutage(err, retryAfterSeconds);
  if (!outage) return undefined;
  const who = outage.dependency ?? 'A dependency';
  return unavailable(
    `${who} is unavailable or did not answer in time; retry in ${outage.retryAfterSeconds} s.`,
    outage.retryAfterSeconds,
  );
}

export function sendProblem(res: Response, problem: HttpProblem): void {
  res.status(problem.status).set(problem.headers).type('application/problem+json');
  res.send(
    JSON.stringify({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail ?? problem.title,
      ...(problem.violations ? { violations: problem.violations } : {}),
      traceId: traceIdOf(res),
    }),
  );
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

/**
 * Maps the errors express and its parsers raise for a malformed request to their 4xx: a path parameter that is not
 * valid percent-encoded UTF-8 (`%zz`, `%ff`), malformed JSON, a body too large, a bad charset, a body that does not
 * decompress. Anything else with a 4xx status keeps it, titled after it.
 */
function parserProblem(err: unknown): HttpProblem | undefined {
  const e = err as { type?: string; status?: number; expose?: boolean; limit?: number } | null;
  if (err instanceof URIError && e?.status === 400) {
    return badRequest('The path is not valid: a part of it is not percent-encoded UTF-8.');
  }
  switch (e?.type) {
    case 'entity.parse.failed':
      return badRequest('The body is not valid JSON.');
    case 'entity.too.large':
      return new HttpProblem(413, 'Content Too Large', `The body is larger than ${e.limit ?? 'allowed'} bytes.`);
    case 'charset.unsupported':
      return new HttpProblem(415, 'Unsupported Media Type', 'Only UTF-8 JSON bodies are accepted.');
    case 'encoding.unsupported':
      return new HttpProblem(415, 'Unsupported Media Type', 'The Content-Encoding is not supported.');
    case 'request.aborted':
      return badRequest('The request was aborted.');
  }
  if (e?.expose && e.status && e.status >= 400 && e.status < 500) {
    const title = STATUS_CODES[e.status] ?? 'Bad Request';
    const detail = e.status === 400 ? 'The request body could not be read.' : `${title}.`;
    return new HttpProblem(e.status, title, detail);
  }
  return undefined;
}

/**
 * The one error mapper: client mistakes get their 4xx, outages a 503, anything else a logged 500 without internals.
 * It never throws: express's own fallback would answer a bare 500 and, under NODE_ENV=test, log nothing.
 */
export function errorHandler(logger: Logger, retryAfterSeconds: number): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const traceId = traceIdOf(res);
    let problem: HttpProblem;
    try {
      problem = classify(logger, err, traceId, retryAfterSeconds);
    } catch (mapperError) {
      logUnexpected(logger, err, traceId, mapperError);
      problem = new HttpProblem(500, 'Internal Server Error', 'An unexpected error occurred.');
    }
    if (res.headersSent) return res.destroy();
    sendProblem(res, problem);
  };
}

function classify(logger: Logger, err: unknown, traceId: string, retryAfterSeconds: number): HttpProblem {
  let problem = err instanceof HttpProblem ? err : parserProblem(err);
  if (!problem) {
    problem = outageProblem(err, retryAfterSeconds);
    if (problem) logger.warn({ err: String((err as Error).message), traceId }, 'dependency unavailable');
  }
  if (!problem) {
    logUnexpected(logger, err, traceId);
    return new HttpProblem(500, 'Internal Server Error', 'An unexpected error occurred.');
  }
  if (problem.status >= 500) logger.warn({ status: problem.status, traceId, detail: problem.detail }, 'request failed');
  return problem;
}

/** Logs an unexpected error in full; one the logger cannot serialise is logged by its name, message and stack. */
function logUnexpected(logger: Logger, err: unknown, traceId: string, mapperError?: unknown): void {
  const plain = (x: unknown) => {
    const e = x as { name?: unknown; message?: unknown; stack?: unknown } | null;
    return { name: String(e?.name), message: String(e?.message), stack: String(e?.stack) };
  };
  try {
    logger.error({ err, traceId, ...(mapperError ? { mapperError: plain(mapperError) } : {}) }, 'request failed');
  } catch {
    logger.error({ err: plain(err), traceId }, 'request failed');
  }
}
