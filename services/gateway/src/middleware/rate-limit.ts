import type { Logger } from '@esign/observability';
import { countHit } from '@esign/service-runtime';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { merchantOf } from '../auth/authenticate.js';
import { HttpProblem } from '../problem.js';

export interface RateLimitOptions {
  redis: Redis;
  keyPrefix: string;
  requests: number;
  windowSeconds: number;
  logger: Logger;
}

/**
 * Per-merchant rate limit (one counter per merchant and fixed window, in Redis so it holds across replicas): `requests` per `windowSeconds`, answered 429 with `Retry-After` beyond it, and
 * `RateLimit-*` headers on every answer. Fails open: when Redis is down the API keeps serving (each route that
 * needs Redis answers 503 on its own), rather than the limiter turning a Redis outage into a total one.
 */
export function rateLimit(o: RateLimitOptions): RequestHandler {
  if (o.requests === 0) return (_req, _res, next) => next();
  const windowMs = o.windowSeconds * 1000;
  return async (_req, res, next) => {
    const merchantId = merchantOf(res);
    const window = Math.floor(Date.now() / windowMs);
    const key = `${o.keyPrefix}ratelimit:${merchantId}:${window}`;
    let count: number;
    let resetSeconds: number;
    try {
      ({ count, resetSeconds } = await countHit(o.redis, key, o.windowSeconds));
    } catch (err) {
      o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'rate limiter unavailable; allowing');
      return next();
    }
    res.set({
      'RateLimit-Limit': String(o.requests),
      'RateLimit-Remaining': String(Math.max(0, o.requests - count)),
      'RateLimit-Reset': String(resetSeconds),
    });
    if (count > o.requests) {
      return next(
        new HttpProblem(
          429,
          'Too Many Requests',
          `At most ${o.requests} requests per ${o.windowSeconds} s.`,
          undefined,
          {
            'Retry-After': String(resetSeconds),
          },
        ),
      );
    }
    next();
  };
}
