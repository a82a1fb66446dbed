import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import type { PkiOptions } from './pki/pki.js';
import type { SealKeyMode } from './pki/seal-key.js';
import { setUpPki, type StackPki } from './pki/stack-pki.js';
import { freePort } from './ports.js';
import type { ManagedProcess } from './process.js';
import { startMaildev } from './servers/maildev.js';
import { startRedis } from './servers/redis.js';
import { startSeaweedfs } from './servers/seaweedfs.js';
import { startSmsSink, type SmsSink } from './servers/sms-sink.js';
import { startTemporal } from './servers/temporal.js';
import { startServices, type RunningService, type ServiceName } from './services.js';
import { ROOT } from './tools.js';
import { TEST_EID_CLIENT, TEST_EID_SECRET_ENV, testEidProviders } from './test-eid-providers.js';

/**
 * Like Promise.all, but waits for every server to settle; when one failed, the ones that did start are stopped
 * again, so none is left running unseen.
 */
async function allOrStop<T extends readonly { process: ManagedProcess }[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<T[number]>).value) as unknown as T;
  for (const r of results) if (r.status === 'fulfilled') await r.value.process.stop();
  throw failed.reason;
}

export interface StackPorts {
  gateway: number;
  portal: number;
  identity: number;
  temporal: number;
  temporalUi?: number;
  s3: number;
  redis: number;
  smtp: number;
  mailUi: number;
  /** The dev Twilio Messages API (in-process; TWILIO_API_URL of the services). */
  smsSink: number;
  orchestratorHealth: number;
  documentStorageHealth: number;
  sealingHealth: number;
  notificationHealth: number;
  archiveHealth: number;
  /** The test PKI (certomancer): OCSP, CRLs, TSA; its URLs are in the certificates. */
  pki: number;
  /** The gateway's and the portal's health, metrics and (gateway) diagnostics. */
  gatewayOperator: number;
  portalOperator: number;
}

export interface StackOptions {
  dataDir: string;
  ports: StackPorts;
  s3: { accessKey: string; secretKey: string; buckets: { documents: string; archive: string } };
  /** Redis with an append-only file (dev stack) or without persistence (throwaway test instances). */
  persistentRedis: boolean;
  /** Where the seal key lives: a PKCS#12 file (default, the dev stack) or a SoftHSM2 token used over PKCS#11. */
  sealKey?: SealKeyMode;
  /** The test PKI's lifetimes and TSAs, when it is made (its first start in `dataDir`). */
  pki?: PkiOptions;
  services: readonly ServiceName[];
  /** Variables merged last into the services' environment (tests shorten the URL notification retries with it). */
  extraEnv?: Record<string, string>;
  /**
   * Run the services from the bundles in this dir (scripts/build-services.mjs with `linkExternals`), as the container
   * image does, instead of their sources by tsx; the orchestrator runs the prebuilt workflow bundle there.
   */
  bundleDir?: string;
  log?: (message: string) => void;
}

export interface Stack {
  /** Environment for the project's services (and for tests acting as one) pointing at this stack. */
  env: Record<string, string>;
  urls: {
    api: string;
    /** The gateway's operator port: `/healthz`, `/readyz`, `/metrics`, `POST /diagnostics/roundtrip`. */
    gatewayOperator: string;
    /** The signing portal's origin (signers open `${portal}/std/docaction?…`). */
    portal: string;
    /** The portal's operator port: `/healthz`, `/readyz`, `/metrics`. */
    portalOperator: string;
    temporal: string;
    temporalUi?: string;
    mailUi: string;
    /** The dev SMS sink's base URL; its inbox is `${smsSink}/messages`. */
    smsSink: string;
    s3: string;
    redis: string;
    /** The test PKI's server (certomancer). */
    pki: string;
  };
  /** The test PKI: its trust root, TSAs, and revocation of its certificates. */
  pki: StackPki;
  services: RunningService[];
  /** Child processes, by pid. The SMS sink runs in this process and is not among them; stop() stops it too. */
  processes: ManagedProcess[];
  logDir: string;
  stop(): Promise<void>;
  /** Kills one of the stack's services by pid (SIGKILL unless told otherwise) and resolves once it has exited. */
  killService(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts one of the stack's services again (after killService, or after it died) with the same environment, ports
   * and log file, and waits until it is ready. It replaces the old entry in `services` and `processes`.
   */
  startService(name: ServiceName): Promise<RunningService>;
  /**
   * Stops one server (SIGTERM, then SIGKILL after `graceMs`, default 10 s; at once with `kill`), waits `downMs`, and
   * starts it again on the same port and data dir (Temporal: the same SQLite file; Redis: its append-only file when
   * persistent; SeaweedFS: its volumes), waiting until it is ready. The new process replaces the old one in
   * `processes`.
   */
  restartServer(
    name: ServerName,
    opts?: { kill?: boolean; graceMs?: number; downMs?: number },
  ): Promise<ManagedProcess>;
}

/** The servers of a stack, by the name of their process. */
export type ServerName = 'temporal' | 'seaweedfs' | 'redis' | 'maildev' | 'certomancer';

function serviceEnv(o: StackOptions, pkiEnv: Record<string, string>): Record<string, string> {
  const p = o.ports;
  return {
    TEMPORAL_ADDRESS: `127.0.0.1:${p.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
    S3_ENDPOINT: `http://127.0.0.1:${p.s3}`,
    S3_ACCESS_KEY: o.s3.accessKey,
    S3_SECRET_KEY: o.s3.secretKey,
    S3_BUCKET_DOCUMENTS: o.s3.buckets.documents,
    S3_BUCKET_ARCHIVE: o.s3.buckets.archive,
    REDIS_URL: `redis://127.0.0.1:${p.redis}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(p.smtp),
    TWILIO_API_URL: `http://127.0.0.1:${p.smsSink}`,
    TWILIO_ACCOUNT_SID: DEV_DEFAULTS.twilio.accountSid,
    TWILIO_AUTH_TOKEN: DEV_DEFAULTS.twilio.authToken,
    // URL notification receivers in development run on this machine.
    NOTIFICATION_URL_ALLOW_LOOPBACK: 'true',
    // The demo merchant may send e-mail as any address at acme.example; any other sender is only Reply-To.
    EMAIL_SENDER_ALLOWLIST: JSON.stringify({ 'demo-merchant': ['@acme.example'] }),
    GATEWAY_PORT: String(p.gateway),
    GATEWAY_OPERATOR_PORT: String(p.gatewayOperator),
    // On the loopback operator port only; off by default elsewhere.
    DIAGNOSTICS_ENABLED: 'true',
    PORTAL_PORT: String(p.portal),
    PORTAL_OPERATOR_PORT: String(p.portalOperator),
    SIGNING_PORTAL_URL: `http://127.0.0.1:${p.portal}`,
    IDENTITY_PORTAL_REDIRECT_URIS: `http://127.0.0.1:${p.portal}/std/callback`,
    PUBLIC_URL: `http://127.0.0.1:${p.gateway}`,
    IDENTITY_PORT: String(p.identity),
    // The test eID: its signing-portal client and its people, which the image and the chart never carry.
    IDENTITY_CLIENTS_FILE: join(ROOT, 'services/identity/test-eid-clients.json'),
    IDENTITY_TEST_IDENTITIES_FILE: join(ROOT, 'services/identity/dev-identities.json'),
    // One origin for merchants: the gateway forwards /auth/open/* to the identity service.
    AUTH_PROXY_TARGET: `http://127.0.0.1:${p.identity}`,
    // The signers' identity methods: the test eID (through the gateway's /auth/open) and one-time codes.
    IDENTITY_PROVIDERS: testEidProviders(`http://127.0.0.1:${p.gateway}/auth/open`),
    [TEST_EID_SECRET_ENV]: TEST_EID_CLIENT.secret,
    ESIGN_DATA_DIR: o.dataDir,
    ORCHESTRATOR_HEALTH_PORT: String(p.orchestratorHealth),
    DOCUMENT_STORAGE_HEALTH_PORT: String(p.documentStorageHealth),
    SEALING_HEALTH_PORT: String(p.sealingHealth),
    NOTIFICATION_HEALTH_PORT: String(p.notificationHealth),
    ARCHIVE_HEALTH_PORT: String(p.archiveHealth),
    ...(o.bundleDir ? { ORCHESTRATOR_WORKFLOW_BUNDLE: join(o.bundleDir, 'workflow-bundle.js') } : {}),
    ...pkiEnv,
    ...o.extraEnv,
  };
}

/** Free loopback ports for every part of a stack (tests run several stacks side by side). */
export async function freeStackPorts(withTemporalUi = false): Promise<StackPorts> {
  const names = [
    'gateway',
    'portal',
    'identity',
    'temporal',
    's3',
    'redis',
    'smtp',
    'mailUi',
    'smsSink',
    'orchestratorHealth',
    'documentStorageHealth',
    'sealingHealth',
    'notificationHealth',
    'archiveHealth',
    'pki',
    'gatewayOperator',
    'portalOperator',
    ...(withTemporalUi ? ['temporalUi'] : []),
  ] as const;
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  return ports as unknown as StackPorts;
}

/**
 * Starts the servers concurrently, then the services, waiting for each to be healthy. If anything fails to come
 * up, everything already started is stopped again and the error names the part, with the end of its log.
 */
export async function startStack(o: StackOptions): Promise<Stack> {
  const log = o.log ?? (() => undefined);
  const logDir = join(o.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const processes: ManagedProcess[] = [];
  const track = <T extends { process: ManagedProcess }>(server: T, what: string): T => {
    processes.push(server.process);
    log(`${what} ready (pid ${server.process.pid})`);
    return server;
  };
  let smsSink: SmsSink | undefined;
  // Restarts under way: stop() lets them finish first, so a process they start is not left out.
  const restarting = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    restarting.add(work);
    return work.finally(() => restarting.delete(work));
  };
  // Services first (they drain work against the servers), then the servers; each group concurrently.
  const stop = async () => {
    await Promise.allSettled([...restarting]);
    const isService = (p: ManagedProcess) => o.services.includes(p.name as ServiceName);
    await Promise.all(processes.filter(isService).map((p) => p.stop()));
    await Promise.all([...processes.filter((p) => !isService(p)).map((p) => p.stop()), smsSink?.stop()]);
  };
  const pkiSetup = await setUpPki({
    dataDir: o.dataDir,
    logDir,
    port: o.ports.pki,
    sealKey: o.sealKey ?? 'pkcs12',
    ...(o.pki ? { options: o.pki } : {}),
  });
  // Each server's start, kept so one can be started again alone on the same port and data dir.
  const servers = {
    temporal: () =>
      startTemporal({
        dataDir: join(o.dataDir, 'temporal'),
        logDir,
        port: o.ports.temporal,
        uiPort: o.ports.temporalUi,
      }),
    seaweedfs: () =>
      startSeaweedfs({
        dataDir: join(o.dataDir, 'seaweedfs'),
        logDir,
        port: o.ports.s3,
        accessKey: o.s3.accessKey,
        secretKey: o.s3.secretKey,
        buckets: [o.s3.buckets.documents, o.s3.buckets.archive],
      }),
    redis: () =>
      startRedis({ dataDir: join(o.dataDir, 'redis'), logDir, port: o.ports.redis, persistent: o.persistentRedis }),
    maildev: () =>
      startMaildev({ dataDir: join(o.dataDir, 'mail'), logDir, smtpPort: o.ports.smtp, webPort: o.ports.mailUi }),
    certomancer: () => pkiSetup.start(),
  } satisfies Record<ServerName, () => Promise<{ process: ManagedProcess }>>;
  /** Puts `next` where the process named `name` was (or at the end), so stop() stops the new one. */
  const replace = (name: string, next: ManagedProcess) => {
    const i = processes.findIndex((p) => p.name === name);
    if (i >= 0) processes[i] = next;
    else processes.push(next);
  };
  const restartServer: Stack['restartServer'] = async (name, opts = {}) => {
    const old = processes.find((p) => p.name === name);
    if (old) await (opts.kill ? old.kill('SIGKILL') : old.stop(opts.graceMs));
    if (opts.downMs) await new Promise((resolve) => setTimeout(resolve, opts.downMs));
    const { process: next } = await tracked<{ process: ManagedProcess }>(servers[name]());
    replace(name, next);
    log(`${name} restarted (pid ${next.pid})`);
    return next;
  };
  try {
    smsSink = await startSmsSink({ port: o.ports.smsSink, ...DEV_DEFAULTS.twilio });
    log(`SMS sink (dev Twilio) ready on ${smsSink.url}`);
    const [temporal, s3, redis, mail, pkiServer] = await allOrStop([
      servers.temporal().then((s) => track(s, 'Temporal')),
      servers.seaweedfs().then((s) => track(s, 'SeaweedFS S3')),
      servers.redis().then((s) => track(s, 'Redis')),
      servers.maildev().then((s) => track(s, 'MailDev')),
      servers.certomancer().then((s) => track(s, 'certomancer (test PKI)')),
    ]);
    const env = serviceEnv(o, await pkiSetup.install(pkiServer));
    const services = await startServices({ names: o.services, env, logDir, bundleDir: o.bundleDir });
    for (const s of services) track(s, `service ${s.name}`);
    const serviceNamed = (name: ServiceName) => {
      const service = services.find((s) => s.name === name);
      if (!service) throw new Error(`service ${name} is not part of this stack`);
      return service;
    };
    return {
      env,
      urls: {
        api: `http://127.0.0.1:${o.ports.gateway}`,
        gatewayOperator: `http://127.0.0.1:${o.ports.gatewayOperator}`,
        portal: `http://127.0.0.1:${o.ports.portal}`,
        portalOperator: `http://127.0.0.1:${o.ports.portalOperator}`,
        temporal: temporal.address,
        temporalUi: temporal.uiUrl,
        mailUi: mail.webUrl,
        smsSink: smsSink.url,
        s3: s3.endpoint,
        redis: redis.url,
        pki: pkiServer.url,
      },
      pki: pkiSetup.pki(pkiServer, () => restartServer('certomancer')),
      services,
      processes,
      logDir,
      stop,
      async killService(name, signal = 'SIGKILL') {
        await serviceNamed(name).process.kill(signal);
        log(`service ${name} killed (${signal})`);
      },
      async startService(name) {
        const old = serviceNamed(name);
        if (!old.process.exited()) throw new Error(`service ${name} is still running (pid ${old.process.pid})`);
        const [started] = await tracked(startServices({ names: [name], env, logDir, bundleDir: o.bundleDir }));
        services[services.indexOf(old)] = started!;
        replace(name, started!.process);
        log(`service ${name} ready again (pid ${started!.process.pid})`);
        return started!;
      },
      restartServer,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
