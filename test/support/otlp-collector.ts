import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as the services exported it (OTLP/HTTP JSON), flattened. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Trace ids this span links to. */
  links: string[];
}

type OtlpValue = { stringValue?: string };
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        links?: Array<{ traceId: string }>;
      }>;
    }>;
  }>;
}

/**
 * A local OTLP/HTTP trace receiver for the test stack: every service exports its spans here (`POST /v1/traces`,
 * JSON), and tests read them back (`GET /spans`). In memory, for one test run.
 */
export async function startOtlpCollector(): Promise<{ url: string; stop(): Promise<void> }> {
  const spans: CollectedSpan[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/spans')) {
      // `?name=` and `?traceId=` narrow the answer: a whole test run exports tens of thousands of spans.
      const query = new URL(req.url, 'http://collector').searchParams;
      const name = query.get('name');
      const traceId = query.get('traceId');
      const found = spans.filter((s) => (!name || s.name === name) && (!traceId || s.traceId === traceId));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const rs of body.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                service,
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                links: (s.links ?? []).map((l) => l.traceId),
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
