import { createServer, type Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, listen } from './health-server.js';
import {
  createMetricsRegistry,
  documentBytesMetric,
  httpMetrics,
  metricsHandler,
  Registry,
  routeLabel,
  UNMATCHED_ROUTE,
} from './metrics.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await closeServer(s);
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await listen(server, '127.0.0.1', 0);
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The `route` labels of the request duration histogram's samples. */
async function routes(registry: Registry): Promise<Array<Record<string, string | number>>> {
  const metric = await registry.getSingleMetric('esign_http_request_duration_seconds')!.get();
  return metric.values
    .filter((v) => (v as { metricName?: string }).metricName === 'esign_http_request_duration_seconds_count')
    .map((v) => ({ ...v.labels, count: v.value }));
}

describe('metricsHandler', () => {
  it('answers GET /metrics with the text exposition format plus the extra text, and nothing else', async () => {
    const registry = createMetricsRegistry('test-service');
    documentBytesMetric(registry)('in', 'upload', 42);
    const metrics = metricsHandler(registry, () => Promise.resolve('# TYPE temporal_x counter\ntemporal_x 1\n'));
    const base = await serve((req, res) => {
      if (!metrics(req, res)) res.writeHead(404).end('no');
    });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('esign_document_bytes_total{direction="in",kind="upload",service="test-service"} 42');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toMatch(/\ntemporal_x 1\n$/);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/metricsx`)).status).toBe(404);
  });

  it('still answers with its own metrics when the extra source fails', async () => {
    const registry = new Registry();
    const metrics = metricsHandler(registry, () => Promise.reject(new Error('exporter down')));
    documentBytesMetric(registry)('out', 'archive', 7);
    const base = await serve((req, res) => {
      if (!metrics(req, res)) res.writeHead(404).end();
    });
    const res = await fetch(`${base}/metrics?x=1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('esign_document_bytes_total{direction="out",kind="archive"} 7');
  });
});

describe('httpMetrics', () => {
  it('labels requests with the matched route pattern under its mount path, never the raw ids', async () => {
    const registry = new Registry();
    const app = express();
    app.use(httpMetrics(registry));
    const api = express.Router();
    const inner = express.Router();
    inner.get('/orders/:orderId', (req, res) => void res.json({ id: req.params.orderId }));
    inner.get('/fail/:id', () => {
      throw new Error('boom');
    });
    api.use(inner);
    app.use('/enterprise/sign', api);
    app.get('/', (_req, res) => void res.send('root'));
    app.use((_req, res) => void res.status(404).send('none'));
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send('error');
    });
    const base = await serve(app);

    expect((await fetch(`${base}/enterprise/sign/orders/secret-id-123`)).status).toBe(200);
    expect((await fetch(`${base}/enterprise/sign/orders/other-id-456`)).status).toBe(200);
    expect((await fetch(`${base}/enterprise/sign/fail/raw-id-789`)).status).toBe(500);
    expect((await fetch(`${base}/enterprise/sign/nothing/raw-id-000`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(200);

    const seen = await routes(registry);
    expect(seen).toContainEqual({ method: 'GET', route: '/enterprise/sign/orders/:orderId', status: '200', count: 2 });
    expect(seen).toContainEqual({ method: 'GET', route: '/enterprise/sign/fail/:id', status: '500', count: 1 });
    expect(seen).toContainEqual({ method: 'GET', route: UNMATCHED_ROUTE, status: '404', count: 1 });
    expect(seen).toContainEqual({ method: 'GET', route: '/', status: '200', count: 1 });
    expect(JSON.stringify(seen)).not.toMatch(/secret-id|other-id|raw-id/);
  });

  it('captures the route through one accessor on the request prototype, in every app: no request gets its own', async () => {
    const registries = [new Registry(), new Registry()];
    const ownDescriptors: unknown[] = [];
    const apps = ['one', 'two'].map((name, i) => {
      const app = express();
      app.use(httpMetrics(registries[i]!));
      app.get(`/${name}/:id`, (req, res) => {
        ownDescriptors.push(Object.getOwnPropertyDescriptor(req, 'route'));
        res.json({ route: (req.route as { path: string }).path });
      });
      return app;
    });
    const [one, two] = await Promise.all(apps.map((app) => serve(app)));
    for (const url of [`${one}/one/a`, `${one}/one/b`, `${two}/two/c`]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { route: string }).route).toMatch(/^\/(one|two)\/:id$/);
    }
    expect(ownDescriptors).toEqual([undefined, undefined, undefined]);
    expect(await routes(registries[0]!)).toEqual([{ method: 'GET', route: '/one/:id', status: '200', count: 2 }]);
    expect(await routes(registries[1]!)).toEqual([{ method: 'GET', route: '/two/:id', status: '200', count: 1 }]);
  });
});

describe('routeLabel', () => {
  it('joins the mount path and the pattern, and ignores non-string patterns', () => {
    expect(routeLabel('/enterprise/sign', '/orders/:orderId')).toBe('/enterprise/sign/orders/:orderId');
    expect(routeLabel('/enterprise/sign', '/')).toBe('/enterprise/sign');
    expect(routeLabel('', '/')).toBe('/');
    expect(routeLabel(undefined, '/std/task')).toBe('/std/task');
    expect(routeLabel('/x', /regexp/)).toBeUndefined();
  });
});
