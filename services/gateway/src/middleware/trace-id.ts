import { newTraceId } from '@esign/service-runtime';
import type { RequestHandler, Response } from 'express';

/** Gives every request a trace id, answered in `X-Trace-Id` and carried by every error body and log line. */
export const traceId: RequestHandler = (_req, res, next) => {
  const id = newTraceId();
  res.locals.traceId = id;
  res.set('X-Trace-Id', id);
  next();
};

export function traceIdOf(res: Response): string {
  return (res.locals.traceId as string | undefined) ?? newTraceId();
}
