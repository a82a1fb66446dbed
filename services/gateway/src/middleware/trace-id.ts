import { randomUUID } from 'node:crypto';
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

/** 32 hex digits from the runtime's buffered entropy (randomBytes makes a system call each time); 122 random bits. */
function newTraceId(): string {
  return randomUUID().replaceAll('-', '');
}
