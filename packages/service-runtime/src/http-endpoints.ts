import { httpMetrics, type Registry } from './metrics.js';
import { httpTracing, tracingConfigured } from './tracing.js';

/**
 * What an HTTP service mounts first on its public app: request duration metrics and (while tracing is on) a trace
 * span per request — off, the no-op tracer's context switch would still cost about 4 % of a status read. Its
 * `/healthz`, `/readyz` and `/metrics` are on the operator port instead (`runHttpService`), never the public one.
 */
export function requestObservation(service: string, registry: Registry) {
  return [httpMetrics(registry), ...(tracingConfigured() ? [httpTracing(service)] : [])];
}
