// The plumbing every service shares: clients for the real dependencies, readiness checks, the health endpoints,
// graceful shutdown, the Prometheus metrics and the Temporal worker lifecycle. Entry points only wire these together.
export {
  createRedis,
  createS3,
  connectTemporalClient,
  connectWorkerConnection,
  dependencyGuard,
  S3_PART_SIZE,
} from './clients.js';
export {
  createGuard,
  DependencyUnavailable,
  isDependencyUnavailable,
  isOutage,
  type DependencyGuard,
  type DependencyName,
  type GuardOptions,
} from './dependency-guard.js';
export { dependencyOutage, type DependencyOutage } from './dependency-outage.js';
export { guardOf, guardRedis, guardS3, idleDeadlineAgent } from './guarded-clients.js';
export { heartbeating, whileHeartbeating } from './heartbeat.js';
export { temporalInterceptors, type TemporalDeadlines } from './temporal-deadlines.js';
export { redisCheck, s3BucketsCheck, temporalCheck, runChecks, type Check, type CheckReport } from './checks.js';
export { closeServer, healthHandler, listen, startHealthServer, type HealthServer } from './health-server.js';
export {
  Counter,
  createMetricsRegistry,
  dependencyFailuresMetric,
  documentBytesMetric,
  Histogram,
  httpMetrics,
  metricsHandler,
  Registry,
  routeLabel,
  UNMATCHED_ROUTE,
  type DocumentBytes,
  type DocumentDirection,
  type DocumentKind,
  type ExtraMetrics,
} from './metrics.js';
export { freeLoopbackPort, installTemporalMetrics } from './temporal-metrics.js';
export { onShutdown } from './shutdown.js';
export { payloadEncryption, temporalDataConverter } from './payload-encryption.js';
export { runWorkerService, type WorkerServiceOptions } from './worker-service.js';
export {
  currentTraceparent,
  httpTracing,
  startTracing,
  stopTracing,
  temporalPlugins,
  tracingConfigured,
  tracingWorkflowModules,
  withLinkedSpan,
} from './tracing.js';
export { API_ANSWER_HEADERS, newTraceId } from './api-answers.js';
export { answerClientErrors } from './client-errors.js';
export { runHttpService, type HttpServiceDeps } from './http-service.js';
export { escapeHtml } from './html.js';
export { requestObservation } from './http-endpoints.js';
export { countHit, hitsSoFar, type WindowCount } from './window-counter.js';
