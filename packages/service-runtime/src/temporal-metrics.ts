import { createServer } from 'node:net';
import type { Logger } from '@esign/observability';
import { Runtime } from '@temporalio/worker';
import type { ExtraMetrics } from './metrics.js';

/** Host the Temporal SDK's own Prometheus exporter binds: loopback only, scraped through the health server. */
const TEMPORAL_METRICS_HOST = '127.0.0.1';

/** A port free on the loopback interface right now (the SDK exporter cannot report the port it got for 0). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, TEMPORAL_METRICS_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Installs the Temporal runtime with its Prometheus exporter on a free loopback port and returns a function
 * fetching that exporter's text (appended to the service's `/metrics`, so each service has one scrape endpoint).
 * Must run before any worker or native connection is created; returns undefined (metrics without the SDK's) when
 * the runtime was already installed or instantiated, e.g. by a test harness.
 */
export async function installTemporalMetrics(service: string, logger: Logger): Promise<ExtraMetrics | undefined> {
  const port = await freeLoopbackPort();
  const bindAddress = `${TEMPORAL_METRICS_HOST}:${port}`;
  try {
    Runtime.install({
      telemetryOptions: {
        metrics: {
          // Labelled with the service like the registry's own metrics.
          globalTags: { service },
          prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true },
        },
      },
    });
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'Temporal SDK metrics not exported');
    return undefined;
  }
  const url = `http://${bindAddress}/metrics`;
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`Temporal SDK metrics answered ${res.status}`);
    return res.text();
  };
}
