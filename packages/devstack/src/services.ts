import { join } from 'node:path';
import { deathNotice, spawnManaged, type ManagedProcess } from './process.js';
import { ROOT } from './tools.js';
import { httpAnswers, waitFor } from './wait.js';

/**
 * The project's services, each a process with its entry point and the env variable of the port that serves its
 * `/healthz`, `/readyz` (and `/metrics`): the workers' health port, the gateway's and the portal's operator port
 * (their public ports serve neither), the identity service's one port.
 */
export const SERVICES = {
  identity: { entry: 'services/identity/src/main.ts', healthPortVar: 'IDENTITY_PORT' },
  'document-storage': {
    entry: 'services/document-storage/src/main.ts',
    healthPortVar: 'DOCUMENT_STORAGE_HEALTH_PORT',
  },
  sealing: { entry: 'services/sealing/src/main.ts', healthPortVar: 'SEALING_HEALTH_PORT' },
  notification: { entry: 'services/notification/src/main.ts', healthPortVar: 'NOTIFICATION_HEALTH_PORT' },
  archive: { entry: 'services/archive/src/main.ts', healthPortVar: 'ARCHIVE_HEALTH_PORT' },
  orchestrator: { entry: 'services/orchestrator/src/main.ts', healthPortVar: 'ORCHESTRATOR_HEALTH_PORT' },
  gateway: { entry: 'services/gateway/src/main.ts', healthPortVar: 'GATEWAY_OPERATOR_PORT' },
  'signing-portal': { entry: 'services/signing-portal/src/main.ts', healthPortVar: 'PORTAL_OPERATOR_PORT' },
} as const;

export type ServiceName = keyof typeof SERVICES;

/**
 * V8 flags of every service, as the Helm chart runs them (the chart sizes the old-space caps to its memory limits).
 * Workers with a low allocation rate get a small young generation (2 MiB semi-spaces instead of 16: about 50 MiB
 * less resident memory each). The gateway too: its bulk is streamed document bytes, whose socket buffers a frequent
 * young-generation collection frees cheaply (8 MiB semi-spaces let them pile up into full collections of the whole
 * heap: 1 MiB uploads 0.68 → 0.84 of raw S3, status reads 0.60 → 0.56 of a bare route). The portal keeps 8 MiB, so
 * short-lived request objects die young instead of being promoted. The request-serving processes and the
 * orchestrator (bounded workflow cache) cap their old space, so garbage is collected before the heap grows under
 * load (the gateway at 3,000 req/s: about 200 MB instead of 350 and rising). Measured in docs/benchmarks.md.
 */
const NODE_FLAGS: Record<ServiceName, string[]> = {
  identity: ['--max-semi-space-size=2'],
  'document-storage': ['--max-semi-space-size=2'],
  sealing: ['--max-semi-space-size=2'],
  notification: ['--max-semi-space-size=2'],
  archive: ['--max-semi-space-size=2'],
  orchestrator: ['--max-semi-space-size=2', '--max-old-space-size=160'],
  gateway: ['--max-semi-space-size=2', '--max-old-space-size=160'],
  'signing-portal': ['--max-semi-space-size=8', '--max-old-space-size=160'],
};

/**
 * Environment of every service process, as the image sets it. glibc gives each thread that allocates under
 * contention an arena of its own (up to 8 per core) and keeps what those arenas freed; a Node service has a dozen
 * native threads (V8's platform and GC workers, libuv's pool, the Temporal SDK's Rust runtime), so two arenas cut
 * the resident memory of each service by 15–50 MB (orchestrator peak 250 → 214 MB) with no throughput change
 * measured. Measured in docs/benchmarks.md.
 */
export const SERVICE_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' } as const;

export interface RunningService {
  name: ServiceName;
  process: ManagedProcess;
  healthUrl: string;
  readyUrl: string;
}

/** How a service's process runs: its TypeScript sources by tsx, or its bundle (scripts/build-services.mjs) by node. */
function entryArgs(name: ServiceName, bundleDir?: string): string[] {
  if (bundleDir) return [join(bundleDir, 'services', `${name}.mjs`)];
  return ['--import', 'tsx', join(ROOT, SERVICES[name].entry)];
}

/**
 * Spawns the services (TypeScript run by tsx, or with `bundleDir` the bundles in it, as the image runs them) with
 * `env` and waits until each one's `/readyz` answers 200 (or, with `waitFor: 'alive'`, its `/healthz`: for tests of
 * a service whose dependencies are down on purpose).
 */
export async function startServices(opts: {
  names: readonly ServiceName[];
  env: Record<string, string>;
  logDir: string;
  timeoutMs?: number;
  waitFor?: 'ready' | 'alive';
  bundleDir?: string;
}): Promise<RunningService[]> {
  const started = opts.names.map((name) => {
    const { healthPortVar } = SERVICES[name];
    const base = `http://127.0.0.1:${opts.env[healthPortVar]}`;
    const proc = spawnManaged(name, process.execPath, [...NODE_FLAGS[name], ...entryArgs(name, opts.bundleDir)], {
      cwd: ROOT,
      env: { ...process.env, ...SERVICE_PROCESS_ENV, ...opts.env },
      logFile: join(opts.logDir, `${name}.log`),
    });
    return { name, process: proc, healthUrl: `${base}/healthz`, readyUrl: `${base}/readyz` };
  });
  const results = await Promise.allSettled(
    started.map((s) =>
      waitFor(`service ${s.name}`, () => httpAnswers(opts.waitFor === 'alive' ? s.healthUrl : s.readyUrl, 200), {
        timeoutMs: opts.timeoutMs ?? 120_000,
        intervalMs: 250,
        aborted: deathNotice(s.process),
      }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.process.stop()));
    throw failed.reason;
  }
  return started;
}
