// `npm start`: the whole dev stack on fixed loopback ports, data kept in .data/ across restarts. Ctrl-C or SIGTERM
// stops every process it started, by pid, services first.
import { join } from 'node:path';
import { DEV_DEFAULTS, parseEnv } from '@esign/config';
import { z } from 'zod';
import { assertPortsFree } from './ports.js';
import { SERVICES, type ServiceName } from './services.js';
import { startStack } from './stack.js';
import type { StackPorts } from './stack-ports.js';
import type { Stack } from './stack-types.js';
import { ROOT } from './tools.js';

const P = DEV_DEFAULTS.ports;
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const devEnv = z.object({
  ESIGN_DATA_DIR: z.string().default(join(ROOT, '.data')),
  GATEWAY_PORT: port(P.gateway),
  GATEWAY_OPERATOR_PORT: port(P.gatewayOperator),
  PORTAL_PORT: port(P.portal),
  PORTAL_OPERATOR_PORT: port(P.portalOperator),
  IDENTITY_PORT: port(P.identity),
  TEMPORAL_PORT: port(P.temporal),
  TEMPORAL_UI_PORT: port(P.temporalUi),
  S3_PORT: port(P.s3),
  REDIS_PORT: port(P.redis),
  SMTP_PORT: port(P.smtp),
  MAIL_UI_PORT: port(P.mailUi),
  SMS_SINK_PORT: port(P.smsSink),
  ORCHESTRATOR_HEALTH_PORT: port(P.orchestratorHealth),
  DOCUMENT_STORAGE_HEALTH_PORT: port(P.documentStorageHealth),
  SEALING_HEALTH_PORT: port(P.sealingHealth),
  NOTIFICATION_HEALTH_PORT: port(P.notificationHealth),
  ARCHIVE_HEALTH_PORT: port(P.archiveHealth),
  PKI_PORT: port(P.pki),
});

function say(message: string): void {
  process.stdout.write(`[dev] ${message}\n`);
}

function table(stack: Stack, startedMs: number): string {
  const rows: Array<[string, string]> = [
    ['API (gateway)', stack.urls.api],
    ['  operator port', `${stack.urls.gatewayOperator}/healthz  /readyz  /metrics`],
    ['  diagnostic round trip', `POST ${stack.urls.gatewayOperator}/diagnostics/roundtrip`],
    ['Signing portal', `${stack.urls.portal}/std/docaction?…  (links come in notifications)`],
    ['  operator port', `${stack.urls.portalOperator}/healthz  /readyz  /metrics`],
    ['Temporal UI', stack.urls.temporalUi ?? '(headless)'],
    ['Temporal gRPC', stack.urls.temporal],
    ['Mail inbox (MailDev)', stack.urls.mailUi],
    ['SMTP', `127.0.0.1:${stack.env.SMTP_PORT}`],
    ['SMS inbox (dev Twilio)', `${stack.urls.smsSink}/messages`],
    ['S3 (SeaweedFS)', stack.urls.s3],
    ['  S3 credentials', `${stack.env.S3_ACCESS_KEY} / ${stack.env.S3_SECRET_KEY}`],
    ['Redis', stack.urls.redis],
    ['Test PKI (certomancer)', `${stack.urls.pki}  (OCSP, CRLs, certificates)`],
    ['  TSA (RFC 3161)', stack.pki.tsaUrl()],
    ['  trust root', `${stack.pki.rootFile}  (pyhanko --trust, pdfsig NSS db)`],
    ...stack.services
      .filter((s) => s.name !== 'gateway' && s.name !== 'signing-portal')
      .map((s): [string, string] => [`${s.name} worker health`, `${s.healthUrl}  ${s.readyUrl}`]),
    ['Logs', stack.logDir],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  const ready = `E-Sign dev stack ready in ${((Date.now() - startedMs) / 1000).toFixed(1)}s`;
  return ['', ready, ...lines, '', 'Press Ctrl-C to stop everything.', ''].join('\n');
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const e = parseEnv(devEnv, process.env, 'dev stack configuration');
  const ports: StackPorts = {
    gateway: e.GATEWAY_PORT,
    portal: e.PORTAL_PORT,
    identity: e.IDENTITY_PORT,
    temporal: e.TEMPORAL_PORT,
    temporalUi: e.TEMPORAL_UI_PORT,
    s3: e.S3_PORT,
    redis: e.REDIS_PORT,
    smtp: e.SMTP_PORT,
    mailUi: e.MAIL_UI_PORT,
    smsSink: e.SMS_SINK_PORT,
    orchestratorHealth: e.ORCHESTRATOR_HEALTH_PORT,
    documentStorageHealth: e.DOCUMENT_STORAGE_HEALTH_PORT,
    sealingHealth: e.SEALING_HEALTH_PORT,
    notificationHealth: e.NOTIFICATION_HEALTH_PORT,
    archiveHealth: e.ARCHIVE_HEALTH_PORT,
    pki: e.PKI_PORT,
    gatewayOperator: e.GATEWAY_OPERATOR_PORT,
    portalOperator: e.PORTAL_OPERATOR_PORT,
  };
  const { ESIGN_DATA_DIR, ...portVars } = e;
  await assertPortsFree(portVars);
  say(`data in ${ESIGN_DATA_DIR}; starting Temporal, SeaweedFS, Redis, MailDev, certomancer and the SMS sink`);
  const stack = await startStack({
    dataDir: ESIGN_DATA_DIR,
    ports,
    s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
    persistentRedis: true,
    services: Object.keys(SERVICES) as ServiceName[],
    log: say,
  });
  process.stdout.write(table(stack, startedMs));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping ${stack.processes.length} processes`);
    await stack.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A part that dies on its own is reported, and the rest are stopped: a half-running stack helps no one.
  const watch = setInterval(() => {
    const dead = stack.processes.find((p) => p.exited());
    if (dead && !stopping) {
      say(`${dead.name} ${dead.exited()}; last log lines:\n${dead.logTail()}`);
      void stop('failure');
    }
  }, 1000);
  watch.unref();
  // npm runs this under `sh -c`, which does not pass a SIGTERM sent to npm on to us: when the process that started
  // us goes away, stop as if signalled, so no server outlives `npm start`.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent exited');
  }, 500);
}

main().catch((err: unknown) => {
  process.stderr.write(`[dev] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
