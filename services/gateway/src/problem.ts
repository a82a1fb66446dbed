import { STATUS_CODES } from 'node:http';
import type { Logger } from '@esign/observability';
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
export const unavailable = (detail: string) =>
  new HttpProblem(503, 'Service Unavailable', detail, undefined, { 'Retry-After': '5' });

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

const DEPENDENCY_ERRORS = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'];

/** Redis, S3 or Temporal unreachable: the client should retry, the server is not broken. */
function isDependencyDown(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && DEPENDENCY_ERRORS.includes(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (e.message === 'Connection is closed.' || e.message?.startsWith('Command timed out')) return true;
  // Temporal gRPC: UNAVAILABLE (14) or DEADLINE_EXCEEDED (4)
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') return true;
  return e.code === 14 || e.code === 4;
}

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

/** The one error mapper: client mistakes get their 4xx, outages a 503, anything else a logged 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const traceId = traceIdOf(res);
    let problem = err instanceof HttpProblem ? err : parserProblem(err);
    if (!problem && isDependencyDown(err)) {
      logger.warn({ err: (err as Error).message, traceId }, 'dependency unavailable');
      problem = unavailable('A dependency is temporarily unavailable; retry later.');
    }
    if (!problem) {
      logger.error({ err, traceId }, 'request failed');
      problem = new HttpProblem(500, 'Internal Server Error', 'An unexpected error occurred.');
    } else if (problem.status >= 500)
      logger.warn({ status: problem.status, traceId, detail: problem.detail }, 'request failed');
    if (res.headersSent) return res.destroy();
    sendProblem(res, problem);
  };
}
