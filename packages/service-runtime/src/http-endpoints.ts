import type { NextFunction, Request, Response } from 'express';
import type { Check } from './checks.js';
import { healthHandler } from './health-server.js';
import { httpMetrics, metricsHandler, type Registry } from './metrics.js';
import { httpTracing, tracingConfigured } from './tracing.js';

/**
 * What an HTTP service mounts first: request duration metrics and (while tracing is on) a trace span per request —
 * off, the no-op tracer's context switch would still cost about 4 % of a status read — then `/healthz`,
 * `/readyz` (these checks) and `/metrics` (this registry). They are open like health endpoints: keep them off the
 * public ingress.
 */
export function operatorEndpoints(service: string, registry: Registry, checks: Record<string, Check>) {
  const health = healthHandler(service, checks);
  const metrics = metricsHandler(registry);
  const endpoints = (req: Request, res: Response, next: NextFunction) => {
    if (!health(req, res) && !metrics(req, res)) next();
  };
  return [httpMetrics(registry), ...(tracingConfigured() ? [httpTracing(service)] : []), endpoints];
}
