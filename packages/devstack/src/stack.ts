import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@esign/config';
import { setUpPki } from './pki/stack-pki.js';
import type { ManagedProcess } from './process.js';
import { startSmsSink, type SmsSink } from './servers/sms-sink.js';
import { serviceEnv } from './service-env.js';
import { startServices, type ServiceName } from './services.js';
import { allOrStop, serverStarters } from './stack-servers.js';
import type { Stack, StackOptions } from './stack-types.js';

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
  const servers = serverStarters(o, logDir, pkiSetup);
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
