// The chaos run's own stack, and the supervisor that restarts what died without a fault.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { freeStackPorts, SERVICES, startStack, type ServerName, type ServiceName, type Stack } from '@esign/devstack';
import type { ChaosOptions } from './types.js';

/** Starts a stack on free ports, trying fresh ports again when a port was taken in between (as the global setup does). */
export async function startChaosStack(opts: ChaosOptions, log: (line: string) => void) {
  for (let attempt = 1; ; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-chaos-'));
    try {
      const stack = await startStack({
        dataDir,
        ports: await freeStackPorts(),
        s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
        persistentRedis: true,
        // Signed orders are sealed with the key in a SoftHSM2 token, as the integration tests do.
        sealKey: 'softhsm',
        services: Object.keys(SERVICES) as ServiceName[],
        extraEnv: {
          NOTIFICATION_URL_RETRY_INTERVAL_SECONDS: String(opts.retryIntervalSeconds ?? 2),
          NOTIFICATION_URL_RETRY_WINDOW_SECONDS: String(opts.retryWindowSeconds ?? 600),
        },
      });
      return { stack, dataDir };
    } catch (err) {
      log(`stack, attempt ${attempt}: ${err instanceof Error ? err.message : String(err)}`);
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * Restarts whatever died on its own (a fault's target is restarted by the fault itself), as a process supervisor
 * would, and records it: a service or server that does not survive another part's restart is a finding.
 */
export async function supervise(stack: Stack, unplanned: string[], log: (line: string) => void): Promise<void> {
  for (const s of [...stack.services]) {
    if (!s.process.exited()) continue;
    unplanned.push(`service ${s.name} ${s.process.exited()}`);
    log(`unplanned: service ${s.name} ${s.process.exited()}; restarting it`);
    await stack.startService(s.name);
  }
  const servers: ServerName[] = ['temporal', 'seaweedfs', 'redis', 'maildev'];
  for (const name of servers) {
    const p = stack.processes.find((x) => x.name === name);
    if (!p?.exited()) continue;
    unplanned.push(`server ${name} ${p.exited()}`);
    log(`unplanned: ${name} ${p.exited()}; restarting it`);
    await stack.restartServer(name);
  }
}
