import { randomUUID } from 'node:crypto';
import type { Logger } from '@esign/observability';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

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

export function sendProblem(res: Response, problem: HttpProblem, traceId: string): void {
  res.status(problem.status).set(problem.headers).type('application/problem+json');
  res.send(
    JSON.stringify({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail ?? problem.title,
      ...(problem.violations ? { violations: problem.violations } : {}),
      traceId,
    }),
  );
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new HttpProblem(404, 'Not Found', 'No resource at this path.'));
};

/** The one error mapper: client mistakes get their 4xx, anything unexpected a logged 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const traceId = randomUUID();
    const problem = toProblem(err);
    if (problem.status >= 500) logger.error({ err, traceId }, 'request failed');
    else logger.debug({ status: problem.status, traceId }, 'request rejected');
    sendProblem(res, problem, traceId);
  };
}

function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean };
  if (e?.type === 'entity.parse.failed') return new HttpProblem(400, 'Bad Request', 'The body is not valid JSON.');
  if (e?.type === 'entity.too.large') return new HttpProblem(413, 'Payload Too Large', 'The body is too large.');
  const status = e?.status ?? e?.statusCode;
  if (e?.expose && status && status >= 400 && status < 500) return new HttpProblem(status, 'Bad Request');
  return new HttpProblem(500, 'Internal Server Error', 'An unexpected error occurred.');
}
