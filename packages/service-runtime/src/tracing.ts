import { createRequire } from 'node:module';
import { SpanKind, SpanStatusCode, trace, TraceFlags, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { NextFunction, Request, Response } from 'express';
import { matchedRoute } from './metrics.js';

interface Tracing {
  plugin: OpenTelemetryPlugin;
  provider: NodeTracerProvider;
}

let current: Tracing | undefined;

/**
 * OpenTelemetry tracing, configured by the standard `OTEL_*` variables: on when an OTLP endpoint is set
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and `OTEL_TRACES_EXPORTER` is not `none`.
 * Spans go over OTLP/HTTP in batches (`OTEL_BSP_*`); the service name is `OTEL_SERVICE_NAME` or `esign-<service>`.
 * The Temporal plugin carries the trace from the gateway's workflow calls into workflows and their activities.
 * Call once per process, before creating Temporal clients and workers.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (current) return current;
  if (!tracingConfigured(env)) return undefined;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? `esign-${service}` });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  current = { plugin: new OpenTelemetryPlugin({ resource, spanProcessor }), provider };
  return current;
}

/** Whether the `OTEL_*` variables turn tracing on (an OTLP endpoint, and the traces exporter not `none`). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return !!endpoint && env.OTEL_TRACES_EXPORTER !== 'none';
}

/**
 * The workflow interceptor modules the tracing plugin needs inside the workflow bundle. A worker bundling its own
 * workflows gets them from the plugin; a prebuilt bundle must be built with them.
 */
export const tracingWorkflowModules = (): string[] => [
  createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** The Temporal plugins to give clients and workers: the tracing plugin while tracing is on. */
export const temporalPlugins = () => (current ? [current.plugin] : []);

/** Sends the spans still buffered (at shutdown). */
export async function stopTracing(): Promise<void> {
  await current?.provider.shutdown();
}

/**
 * Express middleware: a SERVER span per request, active while it is handled (so workflow calls become its children),
 * named by the matched route pattern once known — never by a raw URL with ids in it.
 */
export function httpTracing(service: string) {
  const tracer = trace.getTracer(`esign-${service}`);
  return (req: Request, res: Response, next: NextFunction) => {
    tracer.startActiveSpan(`${req.method}`, { kind: SpanKind.SERVER }, (span) => {
      const route = matchedRoute(req);
      res.on('finish', () => {
        span.updateName(`${req.method} ${route()}`);
        span.setAttributes({
          'http.request.method': req.method,
          'http.route': route(),
          'http.response.status_code': res.statusCode,
        });
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      next();
    });
  };
}

/** The W3C `traceparent` of the active span (e.g. the request that creates an order), when tracing is on. */
export function currentTraceparent(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return undefined;
  return `00-${context.traceId}-${context.spanId}-0${context.traceFlags & TraceFlags.SAMPLED}`;
}

/**
 * Runs `fn` in a new span linked to another trace (a signer's action, linked to the trace that created its order):
 * different requests, different traces, one click away from each other.
 */
export function withLinkedSpan<T>(name: string, traceparent: string | undefined, fn: () => Promise<T>): Promise<T> {
  const match = traceparent ? /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent) : null;
  const links: Link[] = match
    ? [{ context: { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true } }]
    : [];
  return trace.getTracer('esign').startActiveSpan(name, { links }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
