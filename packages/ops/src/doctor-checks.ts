import { DEV_DEFAULTS, type Config } from '@esign/config';
import { loadClients } from '@esign/identity/clients';
import { createMailTransport } from '@esign/notification';
import { createS3 } from '@esign/service-runtime';
import { SEARCH_ATTRIBUTES, TASK_QUEUES } from '@esign/temporal-contracts';
import type { OpsContext } from './context.js';

export type Verdict = 'ok' | 'warn' | 'fail';
export interface CheckResult {
  verdict: Verdict;
  detail: string;
}
export type DoctorCheck = (ctx: OpsContext, config: Config) => Promise<CheckResult>;

const ok = (detail: string): CheckResult => ({ verdict: 'ok', detail });
const warn = (detail: string): CheckResult => ({ verdict: 'warn', detail });
const fail = (detail: string): CheckResult => ({ verdict: 'fail', detail });

async function temporal(ctx: OpsContext, config: Config): Promise<CheckResult> {
  const client = await ctx.temporal();
  const info = await client.connection.workflowService.getSystemInfo({});
  const { namespace } = config.temporal;
  await client.connection.workflowService.describeNamespace({ namespace });
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((a) => !(a in (existing.customAttributes ?? {})));
  if (missing.length)
    return fail(`search attributes missing in ${namespace}: ${missing.join(', ')} (orders cannot be found)`);
  return ok(
    `${config.temporal.address}, namespace ${namespace}, server ${info.serverVersion || 'unknown'}, search attributes registered`,
  );
}

/** A worker polls each task queue: the orchestrator's workflows, and each activity service's activities. */
async function workers(ctx: OpsContext, config: Config): Promise<CheckResult> {
  const client = await ctx.temporal();
  const queues = [
    { name: TASK_QUEUES.ORCHESTRATOR, taskQueueType: 1 },
    { name: TASK_QUEUES.DOCUMENT_STORAGE, taskQueueType: 2 },
    { name: TASK_QUEUES.NOTIFICATION, taskQueueType: 2 },
    { name: TASK_QUEUES.ARCHIVE, taskQueueType: 2 },
  ];
  const idle: string[] = [];
  for (const q of queues) {
    const d = await client.connection.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: { name: q.name },
      taskQueueType: q.taskQueueType,
    });
    if (!d.pollers?.length) idle.push(q.name);
  }
  return idle.length
    ? fail(`no worker polls ${idle.join(', ')}`)
    : ok(`workers poll ${queues.map((q) => q.name).join(', ')}`);
}

async function redis(ctx: OpsContext, config: Config): Promise<CheckResult> {
  const pong = await ctx.redis().ping();
  return pong === 'PONG'
    ? ok(`${new URL(config.redis.url).host}, key prefix ${config.redis.keyPrefix}`)
    : fail(`PING answered ${pong}`);
}

async function s3(_ctx: OpsContext, config: Config): Promise<CheckResult> {
  const client = createS3(config);
  const buckets = Object.values(config.s3.buckets);
  const missing = [];
  for (const b of buckets) if (!(await client.bucketExists(b))) missing.push(b);
  const where = `${config.s3.endPoint}:${config.s3.port}`;
  return missing.length
    ? fail(`${where}: bucket(s) missing: ${missing.join(', ')}`)
    : ok(`${where}, buckets ${buckets.join(', ')}`);
}

async function smtp(_ctx: OpsContext, config: Config): Promise<CheckResult> {
  const mail = createMailTransport(config.smtp);
  try {
    await mail.verify();
    return ok(`${config.smtp.host}:${config.smtp.port} answers EHLO`);
  } finally {
    mail.close();
  }
}

async function twilio(_ctx: OpsContext, config: Config): Promise<CheckResult> {
  // Any HTTP answer shows the Messages API is reachable; credentials are only proven by a message sent.
  const res = await fetch(config.twilio.apiUrl, { signal: AbortSignal.timeout(5000) });
  await res.body?.cancel();
  return ok(`${config.twilio.apiUrl} reachable (HTTP ${res.status})`);
}

async function oidc(_ctx: OpsContext, config: Config): Promise<CheckResult> {
  const discovery = `${config.auth.issuer}/.well-known/openid-configuration`;
  const res = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) return fail(`${discovery} answered ${res.status}`);
  const doc = (await res.json()) as { issuer?: string; jwks_uri?: string };
  if (doc.issuer !== config.auth.issuer)
    return fail(`discovery names issuer ${doc.issuer}, config says ${config.auth.issuer}`);
  const jwks = (await (
    await fetch(config.auth.jwksUri ?? doc.jwks_uri!, { signal: AbortSignal.timeout(5000) })
  ).json()) as { keys?: unknown[] };
  if (!jwks.keys?.length) return fail(`${doc.jwks_uri} publishes no keys`);
  return ok(`${config.auth.issuer}, ${jwks.keys.length} signing key(s)`);
}

/**
 * The gateway's readiness on its operator port (reachable where the gateway runs: this machine in development, the
 * gateway's pod with `kubectl exec`), and the public API answering at PUBLIC_URL.
 */
async function gateway(_ctx: OpsContext, config: Config): Promise<CheckResult> {
  const ready = `http://127.0.0.1:${config.gateway.operatorPort}/readyz`;
  const api = `${config.publicUrl}${config.apiBasePath}/openapi.json`;
  const [readiness, publicApi] = await Promise.all(
    [ready, api].map((url) => fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => null)),
  );
  if (readiness && readiness.status !== 200) {
    return fail(`${ready} answered ${readiness.status}: ${(await readiness.text()).slice(0, 200)}`);
  }
  await readiness?.body?.cancel();
  await publicApi?.body?.cancel();
  if (publicApi && publicApi.status !== 200) return fail(`${api} answered ${publicApi.status}`);
  const notes = [
    readiness ? `ready (${ready})` : `readiness not reachable from here (${ready}: run doctor where the gateway runs)`,
    publicApi ? `public API answers at ${config.publicUrl}` : `public API not reachable from here (${api})`,
  ];
  return readiness && publicApi ? ok(notes.join('; ')) : warn(notes.join('; '));
}

/** Dev defaults left in a deployment make links and callback signatures forgeable by anyone who read the README. */
async function secrets(_ctx: OpsContext, config: Config): Promise<CheckResult> {
  const dev = [
    config.signCodeSecret === DEV_DEFAULTS.signCodeSecret && 'SIGN_CODE_SECRET',
    config.notifications.signingSecret === DEV_DEFAULTS.notificationSigningSecret && 'NOTIFICATION_SIGNING_SECRET',
    config.s3.secretKey === DEV_DEFAULTS.s3.secretKey && 'S3_SECRET_KEY',
  ].filter(Boolean);
  return dev.length
    ? warn(`dev defaults in use: ${dev.join(', ')} (never in production)`)
    : ok('no dev default secrets');
}

async function clientsFile(ctx: OpsContext): Promise<CheckResult> {
  const file = ctx.settings().IDENTITY_CLIENTS_FILE;
  const clients = loadClients(file);
  const merchants = clients.filter((c) => c.kind === 'merchant');
  const plain = clients.filter((c) => c.verifier.kind === 'plain').map((c) => c.clientId);
  const what = `${file}: ${merchants.length} merchant client(s)`;
  return plain.length ? warn(`${what}; plain secrets for ${plain.join(', ')} (rotate to store them hashed)`) : ok(what);
}

export const DOCTOR_CHECKS: Record<string, DoctorCheck> = {
  temporal,
  workers,
  redis,
  s3,
  smtp,
  twilio,
  oidc,
  gateway,
  secrets,
  'clients-file': clientsFile,
};
