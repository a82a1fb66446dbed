import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { freeStackPorts, SERVICES, startStack, type ServiceName, type Stack } from '@esign/devstack';
import type { TestProject } from 'vitest/node';
import { stopAdopted } from './adopted.js';
import { formatFindings, projectNeedles, scanLogs } from './log-scan.js';
import { startOtlpCollector } from './otlp-collector.js';
import type { StackInfo } from './stack-info.js';

const BUCKETS = { documents: 'esign-documents', archive: 'esign-archive' };

/** The dev stack's addresses, for ESIGN_TEST_STACK=dev (tests against an `npm start` already running). */
function devStackInfo(): StackInfo {
  const p = DEV_DEFAULTS.ports;
  return {
    reused: true,
    logDir: '',
    dataDir: process.env.ESIGN_DATA_DIR ?? '.data',
    env: {
      TEMPORAL_ADDRESS: `127.0.0.1:${p.temporal}`,
      S3_ENDPOINT: `http://127.0.0.1:${p.s3}`,
      S3_ACCESS_KEY: DEV_DEFAULTS.s3.accessKey,
      S3_SECRET_KEY: DEV_DEFAULTS.s3.secretKey,
      S3_BUCKET_DOCUMENTS: BUCKETS.documents,
      S3_BUCKET_ARCHIVE: BUCKETS.archive,
      REDIS_URL: `redis://127.0.0.1:${p.redis}`,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(p.smtp),
      GATEWAY_PORT: String(p.gateway),
      GATEWAY_OPERATOR_PORT: String(p.gatewayOperator),
      PORTAL_PORT: String(p.portal),
      PORTAL_OPERATOR_PORT: String(p.portalOperator),
      IDENTITY_PORT: String(p.identity),
      ORCHESTRATOR_HEALTH_PORT: String(p.orchestratorHealth),
      DOCUMENT_STORAGE_HEALTH_PORT: String(p.documentStorageHealth),
      NOTIFICATION_HEALTH_PORT: String(p.notificationHealth),
      ARCHIVE_HEALTH_PORT: String(p.archiveHealth),
    },
    mailUi: `http://127.0.0.1:${p.mailUi}`,
    temporalUi: `http://127.0.0.1:${p.temporalUi}`,
    smsSinkUrl: `http://127.0.0.1:${p.smsSink}`,
    otlpUrl: '',
    servicePids: {},
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.ESIGN_TEST_STACK === 'dev') {
    project.provide('stack', devStackInfo());
    return async () => undefined;
  }
  // Free ports are picked before the servers bind them, and SeaweedFS opens a few more of its own: a rare clash
  // is possible, so a stack that fails to start is retried on fresh ports (the error of the last try is thrown).
  // Every service exports its trace spans here (OTLP/HTTP), so tests can follow one order across processes.
  const collector = await startOtlpCollector();
  let dataDir = '';
  let stack: Stack | undefined;
  for (let attempt = 1; !stack; attempt++) {
    dataDir = mkdtempSync(join(tmpdir(), 'esign-test-'));
    try {
      stack = await startStack({
        dataDir,
        // With the Temporal UI: operators read decoded payloads there through the codec server (codec tests).
        ports: await freeStackPorts(true),
        s3: { ...DEV_DEFAULTS.s3, buckets: BUCKETS },
        persistentRedis: false,
        // The seal key in a SoftHSM2 token over PKCS#11: every signing test runs the HSM path.
        sealKey: 'softhsm',
        services: Object.keys(SERVICES) as ServiceName[],
        // URL callbacks retried every second within 20 s, so retry tests take seconds (24 h: workflows/test).
        extraEnv: {
          NOTIFICATION_URL_RETRY_INTERVAL_SECONDS: '1',
          NOTIFICATION_URL_RETRY_WINDOW_SECONDS: '20',
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_BSP_SCHEDULE_DELAY: '200',
        },
      });
    } catch (err) {
      process.stderr.write(`test stack, attempt ${attempt}: ${err instanceof Error ? err.message : String(err)}\n`);
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= 3) throw err;
    }
  }
  project.provide('stack', {
    reused: false,
    env: stack.env,
    logDir: stack.logDir,
    dataDir,
    mailUi: stack.urls.mailUi,
    smsSinkUrl: stack.urls.smsSink,
    otlpUrl: collector.url,
    ...(stack.urls.temporalUi ? { temporalUi: stack.urls.temporalUi } : {}),
    servicePids: Object.fromEntries(stack.services.map((s) => [s.name, s.process.pid])),
  });
  return async () => {
    stopAdopted(dataDir);
    await stack.stop();
    await collector.stop();
    // The whole run's logs, complete now that every process has stopped: no secret and no personal data in them.
    const scanned = { files: 0, lines: 0 };
    const findings = scanLogs(stack.logDir, projectNeedles(stack.env), scanned);
    process.stdout.write(`log scan: ${scanned.files} log files, ${scanned.lines} lines, ${findings.length} findings\n`);
    if (findings.length) {
      // The logs stay for a look; the report masks what it found. Vitest only logs an error of the global teardown,
      // so the exit code is set here: the run fails.
      process.exitCode = 1;
      throw new Error(
        `${findings.length} secret(s) or personal data found in the logs of this run (kept in ${stack.logDir}):\n` +
          formatFindings(findings),
      );
    }
    if (!process.env.ESIGN_KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}
